#include "compiler/lint/config.h"

#include <limits>
#include <string>

#include <nlohmann/json.hpp>

namespace writ::lint {
namespace {

using json = nlohmann::json;

// Records where the JSON syntax first fails; the DOM is built by a second, checked parse.
class SyntaxProbe : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    position_ = position;
    message_ = ex.what();
    return false;
  }
  std::size_t position() const { return position_; }
  const std::string& message() const { return message_; }

 private:
  std::size_t position_ = 0;
  std::string message_;
};

// The line and column of byte `offset`.
ConfigError At(std::string_view text, size_t offset, std::string message) {
  ConfigError error{1, 1, std::move(message)};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++error.line;
      error.column = 1;
    } else {
      ++error.column;
    }
  }
  return error;
}

// Where a key is written, for errors about its value: its first occurrence as a JSON string.
ConfigError AtKey(std::string_view text, const std::string& key, std::string message) {
  size_t found = text.find("\"" + key + "\"");
  if (found == std::string_view::npos) return ConfigError{0, 0, std::move(message)};
  return At(text, found, std::move(message));
}

std::optional<Level> LevelNamed(std::string_view word) {
  if (word == "off") return Level::kOff;
  if (word == "warning") return Level::kWarning;
  if (word == "error") return Level::kError;
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> ParseDuration(std::string_view text) {
  constexpr struct { std::string_view unit; int64_t millis; } kUnits[] = {
      {"ms", 1}, {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}};
  int64_t total = 0;
  size_t at = 0;
  if (text.empty()) return std::nullopt;
  while (at < text.size()) {
    int64_t number = 0;
    size_t digits = 0;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
      if (number > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
      number = number * 10 + (text[at] - '0');
    }
    if (digits == 0) return std::nullopt;
    bool matched = false;
    for (const auto& unit : kUnits) {
      if (text.substr(at, unit.unit.size()) != unit.unit) continue;
      if (number > (std::numeric_limits<int64_t>::max() - total) / unit.millis) return std::nullopt;
      total += number * unit.millis;
      at += unit.unit.size();
      matched = true;
      break;
    }
    if (!matched) return std::nullopt;
  }
  if (total == 0) return std::nullopt;
  return total;
}

std::optional<ConfigError> ParseConfig(std::string_view text, Options& options) {
  SyntaxProbe probe;
  if (!json::sax_parse(text, &probe)) {
    std::string message = probe.message();
    // "[json.exception.parse_error.101] parse error at line 2, column 5: ..." -> the reason.
    if (size_t colon = message.find(": "); colon != std::string::npos) message = message.substr(colon + 2);
    return At(text, probe.position() > 0 ? probe.position() - 1 : 0, "invalid JSON: " + message);
  }
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_object()) return At(text, 0, "the configuration must be a JSON object");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& key = it.key();
    if (key == "rules") {
      if (!it->is_object()) return AtKey(text, key, "`rules` must be an object of rule: level");
      for (auto rule = it->begin(); rule != it->end(); ++rule) {
        const RuleInfo* info = nullptr;
        for (const RuleInfo& r : Rules()) {
          if (diag::Info(r.code).id == rule.key() || r.title == rule.key()) info = &r;
        }
        if (info == nullptr) {
          return AtKey(text, rule.key(), "`" + rule.key() + "` is not a lint rule (see docs/lint.md)");
        }
        const std::string* word = rule->get_ptr<const std::string*>();
        std::optional<Level> level = word ? LevelNamed(*word) : std::nullopt;
        if (!level) {
          return AtKey(text, rule.key(),
                       "the level of `" + rule.key() + "` must be \"off\", \"warning\" or \"error\"");
        }
        options.levels[info->code] = *level;
      }
    } else if (key == "max_credential_ttl") {
      const std::string* word = it->get_ptr<const std::string*>();
      std::optional<int64_t> millis = word ? ParseDuration(*word) : std::nullopt;
      if (!millis) {
        return AtKey(text, key, "`max_credential_ttl` must be a positive duration such as \"1h\"");
      }
      options.max_credential_ttl_millis = *millis;
    } else {
      return AtKey(text, key,
                   "unknown key `" + key + "`: the keys are `rules` and `max_credential_ttl`");
    }
  }
  return std::nullopt;
}

}  // namespace writ::lint
