// The machine renderers: Writ's own JSON document and SARIF 2.1.0. The text renderer is in
// render.cc.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/render.h"

namespace writ::diag {
namespace {

// Keys keep insertion order, so documents read top-down the way the formats describe them.
using json = nlohmann::ordered_json;

constexpr std::string_view kSarifSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

bool Locatable(const SourceManager& sources, Span span) {
  return span.valid() && span.file.index < sources.size();
}

// Messages quote user text, which may hold bytes that are not UTF-8 (the W0002 diagnostic is
// about exactly that); replacing them keeps the document valid instead of throwing.
std::string Dump(const json& document) {
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

// A span's ends, clamped to its file, as 1-based line/column and byte offset.
struct Range {
  LineCol start;
  LineCol end;
  uint32_t begin_offset = 0;
  uint32_t end_offset = 0;
};

Range Resolve(const SourceManager& sources, Span span) {
  const SourceFile& file = sources.file(span.file);
  uint32_t size = static_cast<uint32_t>(file.text().size());
  Range range;
  range.begin_offset = std::min(span.begin, size);
  range.end_offset = std::clamp(span.end, range.begin_offset, size);
  range.start = file.Locate(range.begin_offset);
  range.end = file.Locate(range.end_offset);
  return range;
}

// ---- JSON -----------------------------------------------------------------------------------

json JsonPosition(LineCol position, uint32_t offset) {
  return {{"line", position.line}, {"column", position.column}, {"offset", offset}};
}

json JsonFile(const SourceManager& sources, Span span) {
  if (!Locatable(sources, span)) return nullptr;
  return sources.file(span.file).path();
}

json JsonRange(const SourceManager& sources, Span span) {
  if (!Locatable(sources, span)) return nullptr;
  Range range = Resolve(sources, span);
  return {{"start", JsonPosition(range.start, range.begin_offset)},
          {"end", JsonPosition(range.end, range.end_offset)}};
}

json JsonDiagnostic(const SourceManager& sources, const Diagnostic& diagnostic) {
  json labels = json::array();
  for (const Label& label : diagnostic.labels) {
    labels.push_back({{"message", label.message},
                      {"file", JsonFile(sources, label.span)},
                      {"range", JsonRange(sources, label.span)}});
  }
  json fixits = json::array();
  for (const FixIt& fix : diagnostic.fixits) {
    fixits.push_back({{"file", JsonFile(sources, fix.span)},
                      {"range", JsonRange(sources, fix.span)},
                      {"replacement", fix.replacement}});
  }
  const KindInfo& info = diagnostic.info();
  json out = json::object();
  out["code"] = info.id;
  out["name"] = info.name;
  out["severity"] = SeverityName(diagnostic.severity);
  out["message"] = diagnostic.message;
  out["file"] = JsonFile(sources, diagnostic.span);
  out["range"] = JsonRange(sources, diagnostic.span);
  out["labels"] = std::move(labels);
  out["notes"] = diagnostic.notes;
  out["help"] = diagnostic.help.empty() ? json(nullptr) : json(diagnostic.help);
  out["fixits"] = std::move(fixits);
  return out;
}

// ---- SARIF ----------------------------------------------------------------------------------

std::string_view SarifLevel(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

// A path as a URI reference: relative paths stay relative (resolved against the directory the
// tool ran in), absolute ones become file:// URIs; reserved characters are percent-encoded.
std::string PathToUri(std::string_view path) {
  std::string out;
  if (!path.empty() && path.front() == '/') out = "file://";
  for (char c : path) {
    unsigned char byte = static_cast<unsigned char>(c);
    bool keep = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                c == '/';
    if (keep) {
      out += c;
    } else {
      constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

json SarifRegion(const Range& range) {
  return {{"startLine", range.start.line},
          {"startColumn", range.start.column},
          {"endLine", range.end.line},
          {"endColumn", range.end.column}};
}

json SarifArtifact(const SourceManager& sources, Span span) {
  return {{"uri", PathToUri(sources.file(span.file).path())}};
}

json SarifPhysicalLocation(const SourceManager& sources, Span span) {
  return {{"artifactLocation", SarifArtifact(sources, span)},
          {"region", SarifRegion(Resolve(sources, span))}};
}

json SarifRules(std::span<const SarifRuleHelp> help) {
  json rules = json::array();
  for (const KindInfo& kind : AllKinds()) {
    json rule = {{"id", kind.id},
                 {"name", kind.name},
                 {"shortDescription", {{"text", kind.format}}},
                 {"defaultConfiguration", {{"level", SarifLevel(kind.severity)}}}};
    for (const SarifRuleHelp& entry : help) {
      if (entry.code != kind.code) continue;
      rule["fullDescription"] = {{"text", entry.description}};
      rule["help"] = {{"text", entry.description}};
      rule["properties"] = {{"tags", json::array({entry.category})}};
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

// The message a code-scanning UI shows: notes and help are folded in, since SARIF results
// have no fields of their own for them.
std::string SarifMessage(const SourceManager& sources, const Diagnostic& diagnostic) {
  std::string text = diagnostic.message;
  for (const Label& label : diagnostic.labels) {
    if (!Locatable(sources, label.span)) text += "\nnote: " + label.message;
  }
  for (const std::string& note : diagnostic.notes) text += "\nnote: " + note;
  if (!diagnostic.help.empty()) text += "\nhelp: " + diagnostic.help;
  return text;
}

json SarifResult(const SourceManager& sources, const Diagnostic& diagnostic) {
  const KindInfo& info = diagnostic.info();
  json result = json::object();
  result["ruleId"] = info.id;
  result["ruleIndex"] = static_cast<size_t>(diagnostic.code);
  result["level"] = SarifLevel(diagnostic.severity);
  result["message"] = {{"text", SarifMessage(sources, diagnostic)}};
  json locations = json::array();
  if (Locatable(sources, diagnostic.span)) {
    locations.push_back({{"physicalLocation", SarifPhysicalLocation(sources, diagnostic.span)}});
  }
  result["locations"] = std::move(locations);

  json related = json::array();
  for (const Label& label : diagnostic.labels) {
    if (!Locatable(sources, label.span)) continue;
    related.push_back({{"id", related.size()},
                       {"physicalLocation", SarifPhysicalLocation(sources, label.span)},
                       {"message", {{"text", label.message}}}});
  }
  if (!related.empty()) result["relatedLocations"] = std::move(related);

  json fixes = json::array();
  for (const FixIt& fix : diagnostic.fixits) {
    if (!Locatable(sources, fix.span)) continue;
    json replacement = {{"deletedRegion", SarifRegion(Resolve(sources, fix.span))},
                        {"insertedContent", {{"text", fix.replacement}}}};
    fixes.push_back(
        {{"description", {{"text", "replace with `" + fix.replacement + "`"}}},
         {"artifactChanges",
          json::array({{{"artifactLocation", SarifArtifact(sources, fix.span)},
                        {"replacements", json::array({std::move(replacement)})}}})}});
  }
  if (!fixes.empty()) result["fixes"] = std::move(fixes);
  return result;
}

}  // namespace

std::string RenderJson(const SourceManager& sources, std::span<const Diagnostic> diagnostics) {
  json list = json::array();
  int errors = 0;
  int warnings = 0;
  for (const Diagnostic& diagnostic : diagnostics) {
    if (diagnostic.severity == Severity::kError) ++errors;
    if (diagnostic.severity == Severity::kWarning) ++warnings;
    list.push_back(JsonDiagnostic(sources, diagnostic));
  }
  json document = json::object();
  document["version"] = 1;
  document["diagnostics"] = std::move(list);
  document["summary"] = {{"errors", errors}, {"warnings", warnings}};
  return Dump(document);
}

std::string RenderSarif(const SourceManager& sources, std::span<const Diagnostic> diagnostics,
                        const SarifTool& tool) {
  json driver = json::object();
  driver["name"] = tool.name;
  if (!tool.version.empty()) driver["version"] = tool.version;
  if (!tool.information_uri.empty()) driver["informationUri"] = tool.information_uri;
  driver["rules"] = SarifRules(tool.rule_help);

  json results = json::array();
  for (const Diagnostic& diagnostic : diagnostics) {
    results.push_back(SarifResult(sources, diagnostic));
  }
  json run = json::object();
  run["tool"] = {{"driver", std::move(driver)}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = std::move(results);

  json log = json::object();
  log["$schema"] = kSarifSchema;
  log["version"] = "2.1.0";
  log["runs"] = json::array({std::move(run)});
  return Dump(log);
}

}  // namespace writ::diag
