#include "compiler/diagnostics/render.h"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace writ::diag {
namespace {

using nlohmann::json;

constexpr std::string_view kRules =
    "package procurement\n"
    "\n"
    "entity User { approval_limit: money }\n"
    "forbid call payments.transfer\n"
    "  when args.amount > principal.acts_for.aproval_limit\n"
    "  because \"over the limit\"\n";

// The byte span of the `occurrence`-th match of `needle` in the file's text.
Span Find(const SourceManager& sources, FileId file, std::string_view needle, int occurrence = 0) {
  std::string_view text = sources.file(file).text();
  size_t at = text.find(needle);
  for (int i = 0; i < occurrence; ++i) at = text.find(needle, at + 1);
  EXPECT_NE(at, std::string_view::npos) << needle;
  return Span{file, static_cast<uint32_t>(at), static_cast<uint32_t>(at + needle.size())};
}

class RenderTest : public ::testing::Test {
 protected:
  FileId Add(std::string path, std::string_view text) {
    return sources_.Add(std::move(path), std::string(text));
  }
  std::string Text(const Diagnostic& diagnostic) { return RenderText(sources_, diagnostic); }

  SourceManager sources_;
};

TEST_F(RenderTest, SingleLineSpanWithHelp) {
  FileId file = Add("policies/procurement/rules.writ", kRules);
  Diagnostic d = Make(Code::kUnknownAttribute, Find(sources_, file, "aproval_limit"), "User",
                      "aproval_limit")
                     .Help("did you mean `approval_limit`?");
  EXPECT_EQ(Text(d),
            "error[W0204]: `User` has no attribute `aproval_limit`\n"
            " --> policies/procurement/rules.writ:5:41\n"
            "  |\n"
            "5 |   when args.amount > principal.acts_for.aproval_limit\n"
            "  |                                         ^~~~~~~~~~~~~\n"
            "  |\n"
            "  = help: did you mean `approval_limit`?\n");
}

TEST_F(RenderTest, LabelOnAnotherLine) {
  FileId file = Add("rules.writ", kRules);
  Diagnostic d = Make(Code::kUnknownAttribute, Find(sources_, file, "aproval_limit"), "User",
                      "aproval_limit")
                     .Label(Find(sources_, file, "User"), "`User` is declared here")
                     .Note("`principal.acts_for` is a `User`");
  EXPECT_EQ(Text(d),
            "error[W0204]: `User` has no attribute `aproval_limit`\n"
            " --> rules.writ:5:41\n"
            "  |\n"
            "3 | entity User { approval_limit: money }\n"
            "  |        ---- `User` is declared here\n"
            "...\n"
            "5 |   when args.amount > principal.acts_for.aproval_limit\n"
            "  |                                         ^~~~~~~~~~~~~\n"
            "  |\n"
            "  = note: `principal.acts_for` is a `User`\n");
}

TEST_F(RenderTest, LabelsOnTheSameLineShareARowWhenTheyFit) {
  FileId file = Add("rules.writ", kRules);
  Diagnostic d = Make(Code::kBadOperands, Find(sources_, file, ">"), ">", "money", "string")
                     .Label(Find(sources_, file, "args.amount"), "this is `money`")
                     .Label(Find(sources_, file, "principal.acts_for.aproval_limit"),
                            "this is `string`");
  EXPECT_EQ(Text(d),
            "error[W0302]: operator `>` cannot be applied to `money` and `string`\n"
            " --> rules.writ:5:20\n"
            "  |\n"
            "5 |   when args.amount > principal.acts_for.aproval_limit\n"
            "  |        ----------- this is `money`\n"
            "  |                    ^ -------------------------------- this is `string`\n");
}

TEST_F(RenderTest, LabelInAnotherFile) {
  FileId schema =
      Add("schema.writ", "package procurement\nentity User { approval_limit: money }\n");
  FileId rules = Add("rules.writ", kRules);
  Diagnostic d = Make(Code::kDuplicateDecl, Find(sources_, rules, "User"), "User")
                     .Label(Find(sources_, schema, "User"), "first declared here");
  EXPECT_EQ(Text(d),
            "error[W0207]: `User` is declared more than once\n"
            " --> rules.writ:3:8\n"
            "  |\n"
            "3 | entity User { approval_limit: money }\n"
            "  |        ^~~~\n"
            "  |\n"
            " ::: schema.writ:2:8\n"
            "  |\n"
            "2 | entity User { approval_limit: money }\n"
            "  |        ---- first declared here\n");
}

TEST_F(RenderTest, EmptySpanAtEndOfFile) {
  std::string_view text = "package a\nforbid call x when";
  FileId file = Add("a.writ", text);
  uint32_t end = static_cast<uint32_t>(text.size());
  Diagnostic d = Make(Code::kUnexpectedToken, Span{file, end, end},
                      "expected an expression, found end of file");
  EXPECT_EQ(Text(d),
            "error[W0101]: expected an expression, found end of file\n"
            " --> a.writ:2:19\n"
            "  |\n"
            "2 | forbid call x when\n"
            "  |                   ^\n");
}

TEST_F(RenderTest, EmptySpanAfterTheLastNewline) {
  std::string_view text = "package a\n";
  FileId file = Add("a.writ", text);
  Diagnostic d = Make(Code::kUnexpectedToken, Span{file, 10, 10}, "expected a declaration");
  EXPECT_EQ(Text(d),
            "error[W0101]: expected a declaration\n"
            " --> a.writ:2:1\n"
            "  |\n"
            "2 |\n"
            "  | ^\n");
}

TEST_F(RenderTest, SpanPastTheEndClampsToIt) {
  FileId file = Add("a.writ", "package a");
  Diagnostic d = Make(Code::kUnexpectedToken, Span{file, 40, 90}, "stray");
  EXPECT_EQ(Text(d),
            "error[W0101]: stray\n"
            " --> a.writ:1:10\n"
            "  |\n"
            "1 | package a\n"
            "  |          ^\n");
}

TEST_F(RenderTest, MultiLineSpanUnderlinesTheFirstLineToItsEnd) {
  FileId file = Add("rules.writ", kRules);
  Span first = Find(sources_, file, "forbid");
  Span last = Find(sources_, file, "\"over the limit\"");
  Diagnostic d = Make(Code::kForbidWithoutReason, Span::Cover(first, last));
  EXPECT_EQ(Text(d),
            "error[W0401]: `forbid` needs a `because` reason\n"
            " --> rules.writ:4:1\n"
            "  |\n"
            "4 | forbid call payments.transfer\n"
            "  | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST_F(RenderTest, TabsExpandAndTheUnderlineFollows) {
  FileId file = Add("t.writ", "package a\n\twhen\tx > y\n");
  Diagnostic d = Make(Code::kUnknownName, Find(sources_, file, "x"), "x");
  EXPECT_EQ(Text(d),
            "error[W0201]: unknown name `x`\n"
            " --> t.writ:2:7\n"
            "  |\n"
            "2 |     when    x > y\n"
            "  |             ^\n");
}

TEST_F(RenderTest, NonAsciiColumnsCountCodePoints) {
  FileId file = Add("u.writ", "package a\nforbid call x because \"déjà vu\" when naïve\n");
  Diagnostic d = Make(Code::kUnknownName, Find(sources_, file, "naïve"), "naïve");
  // "naïve" starts at byte 39 of its line but at code point 38; the underline is 5 cells wide.
  EXPECT_EQ(Text(d),
            "error[W0201]: unknown name `naïve`\n"
            " --> u.writ:2:38\n"
            "  |\n"
            "2 | forbid call x because \"déjà vu\" when naïve\n"
            "  |                                      ^~~~~\n");
}

TEST_F(RenderTest, WideCharactersTakeTwoCells) {
  FileId file = Add("w.writ", "package a\nwhen \"日本\" == x\n");
  Diagnostic d = Make(Code::kUnknownName, Find(sources_, file, "x"), "x");
  EXPECT_EQ(Text(d),
            "error[W0201]: unknown name `x`\n"
            " --> w.writ:2:14\n"
            "  |\n"
            "2 | when \"日本\" == x\n"
            "  |                ^\n");
}

TEST_F(RenderTest, ControlAndInvalidBytesAreReplaced) {
  FileId file = Add("bad.writ", std::string_view("package a\x01\xC3z\n", 13));
  Diagnostic d = Make(Code::kInvalidUtf8, Span{file, 10, 11}, 0xC3);
  EXPECT_EQ(Text(d),
            "error[W0002]: file is not valid UTF-8 (byte 0xC3)\n"
            " --> bad.writ:1:11\n"
            "  |\n"
            "1 | package a\xEF\xBF\xBD\xEF\xBF\xBDz\n"
            "  |           ^\n");
}

TEST_F(RenderTest, WithoutLocation) {
  Diagnostic d = Make(Code::kTooManyErrors, Span{}, 25)
                     .Label(Span{}, "an unlocated label becomes a note")
                     .Note("fix the first errors and run again");
  EXPECT_EQ(Text(d),
            "error[W0004]: too many syntax errors; stopped after 25\n"
            "  = note: an unlocated label becomes a note\n"
            "  = note: fix the first errors and run again\n");
}

TEST_F(RenderTest, WithoutLocationAndNothingElse) {
  EXPECT_EQ(Text(Make(Code::kTooManyErrors, Span{}, 25)),
            "error[W0004]: too many syntax errors; stopped after 25\n");
}

TEST_F(RenderTest, GutterWidensForLargeLineNumbers) {
  std::string text = "package a\n";
  for (int i = 2; i < 120; ++i) text += "\n";
  text += "bad\n";
  FileId file = Add("long.writ", text);
  Diagnostic d = Make(Code::kUnknownName, Find(sources_, file, "bad"), "bad")
                     .Help("line one\nline two");
  EXPECT_EQ(Text(d),
            "error[W0201]: unknown name `bad`\n"
            "   --> long.writ:120:1\n"
            "    |\n"
            "120 | bad\n"
            "    | ^~~\n"
            "    |\n"
            "    = help: line one\n"
            "            line two\n");
}

TEST_F(RenderTest, ColorWrapsSeverityAndUnderline) {
  FileId file = Add("a.writ", "package a\nx\n");
  Diagnostic d = Make(Code::kUnknownName, Find(sources_, file, "x"), "x");
  std::string colored = RenderText(sources_, d, TextOptions{.color = true});
  EXPECT_NE(colored.find("\x1b[1;31merror[W0201]\x1b[0m"), std::string::npos) << colored;
  EXPECT_NE(colored.find("\x1b[1;31m^\x1b[0m"), std::string::npos) << colored;
  EXPECT_EQ(Text(d).find('\x1b'), std::string::npos);
}

TEST_F(RenderTest, AllDiagnosticsWithSummary) {
  FileId a = Add("a.writ", "package a\nx\n");
  FileId b = Add("b.writ", "package b\ny\n");
  std::vector<Diagnostic> diagnostics;
  diagnostics.push_back(Make(Code::kUnknownName, Find(sources_, a, "x"), "x"));
  diagnostics.push_back(Make(Code::kUnknownName, Find(sources_, b, "y"), "y"));
  diagnostics.push_back(Make(Code::kUnknownName, Find(sources_, b, "b"), "b"));
  std::string out = RenderText(sources_, diagnostics);
  EXPECT_TRUE(out.ends_with("\n\nerror: 3 errors in 2 files\n")) << out;
  EXPECT_EQ(out.substr(0, out.find("\n\n") + 2), Text(diagnostics[0]) + "\n");
}

TEST(RenderSummary, CountsAndPlurals) {
  std::vector<Diagnostic> diagnostics;
  EXPECT_EQ(RenderSummary(diagnostics), "");
  Diagnostic warning = Make(Code::kUnknownName, Span{FileId{0}, 0, 1}, "w");
  warning.severity = Severity::kWarning;
  diagnostics.push_back(warning);
  EXPECT_EQ(RenderSummary(diagnostics), "warning: 1 warning in 1 file\n");
  diagnostics.push_back(Make(Code::kUnknownName, Span{}, "e"));
  EXPECT_EQ(RenderSummary(diagnostics), "error: 1 error and 1 warning in 1 file\n");
  diagnostics.push_back(warning);
  Diagnostic note = warning;
  note.severity = Severity::kNote;
  diagnostics.push_back(note);
  EXPECT_EQ(RenderSummary(diagnostics), "error: 1 error and 2 warnings in 1 file\n");
  EXPECT_EQ(RenderSummary(std::vector<Diagnostic>{Make(Code::kUnknownName, Span{}, "e")}),
            "error: 1 error\n");
}

// ---- JSON -----------------------------------------------------------------------------------

TEST_F(RenderTest, JsonCarriesEveryField) {
  FileId file = Add("rules.writ", kRules);
  Span primary = Find(sources_, file, "aproval_limit");
  std::vector<Diagnostic> diagnostics;
  diagnostics.push_back(Make(Code::kUnknownAttribute, primary, "User", "aproval_limit")
                            .Label(Find(sources_, file, "User"), "declared here")
                            .Note("a note")
                            .Help("did you mean `approval_limit`?")
                            .Fix(primary, "approval_limit"));
  diagnostics.push_back(Make(Code::kTooManyErrors, Span{}, 25));

  json doc = json::parse(RenderJson(sources_, diagnostics));
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["summary"]["errors"], 2);
  EXPECT_EQ(doc["summary"]["warnings"], 0);
  ASSERT_EQ(doc["diagnostics"].size(), 2u);

  const json& d = doc["diagnostics"][0];
  EXPECT_EQ(d["code"], "W0204");
  EXPECT_EQ(d["name"], "UnknownAttribute");
  EXPECT_EQ(d["severity"], "error");
  EXPECT_EQ(d["message"], "`User` has no attribute `aproval_limit`");
  EXPECT_EQ(d["file"], "rules.writ");
  EXPECT_EQ(d["range"]["start"], (json{{"line", 5}, {"column", 41}, {"offset", primary.begin}}));
  EXPECT_EQ(d["range"]["end"], (json{{"line", 5}, {"column", 54}, {"offset", primary.end}}));
  ASSERT_EQ(d["labels"].size(), 1u);
  EXPECT_EQ(d["labels"][0]["message"], "declared here");
  EXPECT_EQ(d["labels"][0]["file"], "rules.writ");
  EXPECT_EQ(d["labels"][0]["range"]["start"]["line"], 3);
  EXPECT_EQ(d["labels"][0]["range"]["start"]["column"], 8);
  EXPECT_EQ(d["notes"], json::array({"a note"}));
  EXPECT_EQ(d["help"], "did you mean `approval_limit`?");
  ASSERT_EQ(d["fixits"].size(), 1u);
  EXPECT_EQ(d["fixits"][0]["replacement"], "approval_limit");
  EXPECT_EQ(d["fixits"][0]["range"], d["range"]);

  const json& unlocated = doc["diagnostics"][1];
  EXPECT_TRUE(unlocated["file"].is_null());
  EXPECT_TRUE(unlocated["range"].is_null());
  EXPECT_TRUE(unlocated["help"].is_null());
  EXPECT_EQ(unlocated["labels"], json::array());
}

TEST_F(RenderTest, JsonOfNothingIsAnEmptyList) {
  json doc = json::parse(RenderJson(sources_, {}));
  EXPECT_EQ(doc,
            json::parse(R"({"version":1,"diagnostics":[],"summary":{"errors":0,"warnings":0}})"));
}

TEST_F(RenderTest, JsonStaysValidWithInvalidUtf8InAMessage) {
  Diagnostic d = Make(Code::kBadCharacter, Span{}, std::string("\xFF"));
  json doc = json::parse(RenderJson(sources_, std::vector<Diagnostic>{d}));
  EXPECT_EQ(doc["diagnostics"][0]["message"], "unexpected character \xEF\xBF\xBD");
}

// ---- SARIF ----------------------------------------------------------------------------------

TEST_F(RenderTest, SarifHasOneRulePerKind) {
  json log = json::parse(RenderSarif(
      sources_, {}, SarifTool{.version = "1.2.3", .information_uri = "https://x.test/"}));
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_NE(log["$schema"].get<std::string>().find("sarif-schema-2.1.0"), std::string::npos);
  ASSERT_EQ(log["runs"].size(), 1u);
  const json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "writ");
  EXPECT_EQ(driver["version"], "1.2.3");
  EXPECT_EQ(driver["informationUri"], "https://x.test/");
  ASSERT_EQ(driver["rules"].size(), AllKinds().size());
  for (size_t i = 0; i < AllKinds().size(); ++i) {
    const json& rule = driver["rules"][i];
    EXPECT_EQ(rule["id"], AllKinds()[i].id);
    EXPECT_EQ(rule["name"], AllKinds()[i].name);
    EXPECT_EQ(rule["shortDescription"]["text"], AllKinds()[i].format);
    // Checker kinds are errors; lint kinds carry their rule's default severity.
    EXPECT_EQ(rule["defaultConfiguration"]["level"],
              AllKinds()[i].severity == Severity::kWarning ? "warning" : "error");
    EXPECT_FALSE(rule.contains("fullDescription"));
  }
  EXPECT_EQ(log["runs"][0]["results"], json::array());
  EXPECT_EQ(log["runs"][0]["columnKind"], "unicodeCodePoints");
}

TEST_F(RenderTest, SarifRuleHelpDescribesItsRulesOnly) {
  const SarifRuleHelp help[] = {{Code::kDuplicateRule, "Saying a thing twice.", "correctness"}};
  json log = json::parse(RenderSarif(sources_, {}, SarifTool{.version = "1", .rule_help = help}));
  const json& rules = log["runs"][0]["tool"]["driver"]["rules"];
  const json& described = rules[static_cast<size_t>(Code::kDuplicateRule)];
  EXPECT_EQ(described["id"], Info(Code::kDuplicateRule).id);
  EXPECT_EQ(described["fullDescription"]["text"], "Saying a thing twice.");
  EXPECT_EQ(described["help"]["text"], "Saying a thing twice.");
  EXPECT_EQ(described["properties"]["tags"], json::array({"correctness"}));
  EXPECT_FALSE(rules[static_cast<size_t>(Code::kUnknownName)].contains("fullDescription"));
}

TEST_F(RenderTest, SarifResultsPointIntoTheRulesAndRegions) {
  FileId file = Add("policies/rules.writ", kRules);
  FileId absolute = Add("/abs/dir with space/x.writ", "package x\nentity User\n");
  Span primary = Find(sources_, file, "principal.acts_for.aproval_limit");
  std::vector<Diagnostic> diagnostics;
  diagnostics.push_back(Make(Code::kUnknownAttribute, primary, "User", "aproval_limit")
                            .Label(Find(sources_, absolute, "User"), "declared here")
                            .Help("did you mean `approval_limit`?")
                            .Fix(Find(sources_, file, "aproval_limit"), "approval_limit"));
  diagnostics.push_back(
      Make(Code::kForbidWithoutReason,
           Span::Cover(Find(sources_, file, "forbid"), Find(sources_, file, "when"))));
  diagnostics.push_back(Make(Code::kTooManyErrors, Span{}, 25));

  json log = json::parse(RenderSarif(sources_, diagnostics, SarifTool{.version = "0.1.0"}));
  const json& run = log["runs"][0];
  const json& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(run["results"].size(), 3u);
  for (const json& result : run["results"]) {
    size_t index = result["ruleIndex"];
    ASSERT_LT(index, rules.size());
    EXPECT_EQ(rules[index]["id"], result["ruleId"]);
    EXPECT_EQ(result["level"], "error");
  }

  const json& first = run["results"][0];
  EXPECT_EQ(first["ruleId"], "W0204");
  EXPECT_EQ(first["message"]["text"],
            "`User` has no attribute `aproval_limit`\nhelp: did you mean `approval_limit`?");
  const json& location = first["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "policies/rules.writ");
  EXPECT_EQ(location["region"], (json{{"startLine", 5}, {"startColumn", 22},
                                       {"endLine", 5}, {"endColumn", 54}}));
  const json& related = first["relatedLocations"][0];
  EXPECT_EQ(related["id"], 0);
  EXPECT_EQ(related["message"]["text"], "declared here");
  EXPECT_EQ(related["physicalLocation"]["artifactLocation"]["uri"],
            "file:///abs/dir%20with%20space/x.writ");
  EXPECT_EQ(related["physicalLocation"]["region"]["startLine"], 2);
  EXPECT_EQ(related["physicalLocation"]["region"]["startColumn"], 8);
  const json& fix = first["fixes"][0]["artifactChanges"][0];
  EXPECT_EQ(fix["artifactLocation"]["uri"], "policies/rules.writ");
  EXPECT_EQ(fix["replacements"][0]["deletedRegion"]["startColumn"], 41);
  EXPECT_EQ(fix["replacements"][0]["insertedContent"]["text"], "approval_limit");

  const json& multi = run["results"][1]["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(multi, (json{{"startLine", 4}, {"startColumn", 1}, {"endLine", 5},
                         {"endColumn", 7}}));

  EXPECT_EQ(run["results"][2]["locations"], json::array());
  EXPECT_FALSE(run["results"][2].contains("relatedLocations"));
  EXPECT_FALSE(run["results"][2].contains("fixes"));
}

}  // namespace
}  // namespace writ::diag
