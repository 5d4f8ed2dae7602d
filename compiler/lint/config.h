// A project's lint configuration, `.writ-lint.json` (docs/lint.md, "Configuration"): which rules
// run at which level, and the thresholds of the rules that have one.
//   { "rules": { "L0004": "off", "naming-convention": "error" }, "max_credential_ttl": "2h" }
#ifndef WRIT_COMPILER_LINT_CONFIG_H_
#define WRIT_COMPILER_LINT_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/lint/lint.h"

namespace writ::lint {

// The name `writ lint` looks for in each folder from a PATH up to the root.
inline constexpr std::string_view kConfigFileName = ".writ-lint.json";

// What is wrong with a configuration, and where: 1-based, 0 when the place is unknown.
struct ConfigError {
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
};

// Reads a configuration into `options` (levels and thresholds it does not name are left as
// they are). Returns the first problem: invalid JSON, an unknown key, rule or level, or a
// threshold that is not a positive duration; `options` is then unspecified.
std::optional<ConfigError> ParseConfig(std::string_view text, Options& options);

// A duration as policies write it (`90s`, `1h30m`, `2d`, `250ms`) in milliseconds; nullopt if
// it is not one or is zero.
std::optional<int64_t> ParseDuration(std::string_view text);

}  // namespace writ::lint

#endif  // WRIT_COMPILER_LINT_CONFIG_H_
