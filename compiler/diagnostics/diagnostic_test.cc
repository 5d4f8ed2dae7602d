#include "compiler/diagnostics/diagnostic.h"

#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace writ::diag {
namespace {

TEST(KindTable, IdsAndNamesAreUniqueAndWellFormed) {
  std::set<std::string_view> ids;
  std::set<std::string_view> names;
  for (const KindInfo& kind : AllKinds()) {
    EXPECT_TRUE(ids.insert(kind.id).second) << "duplicate id " << kind.id;
    EXPECT_TRUE(names.insert(kind.name).second) << "duplicate name " << kind.name;
    ASSERT_EQ(kind.id.size(), 5u) << kind.id;
    // W: the compiler's stages; L: the findings of `writ lint`.
    EXPECT_TRUE(kind.id[0] == 'W' || kind.id[0] == 'L') << kind.id;
    EXPECT_EQ(kind.id.find_first_not_of("0123456789", 1), std::string_view::npos) << kind.id;
    EXPECT_FALSE(kind.format.empty()) << kind.name;
  }
  EXPECT_GT(AllKinds().size(), 50u);
}

TEST(KindTable, IdsAscendInTableOrder) {
  // Codes are grouped by stage and never renumbered; the table reads in code order, the
  // compiler's W codes first and the lint L codes after them.
  std::string_view previous;
  for (const KindInfo& kind : AllKinds()) {
    if (!previous.empty() && previous[0] == 'W' && kind.id[0] == 'L') previous = "";
    EXPECT_LT(previous, kind.id);
    EXPECT_FALSE(previous.size() == 5 && previous[0] == 'L' && kind.id[0] == 'W') << kind.id;
    previous = kind.id;
  }
}

TEST(KindTable, InfoIsIndexedByCode) {
  for (const KindInfo& kind : AllKinds()) {
    EXPECT_EQ(&Info(kind.code), &kind);
    EXPECT_EQ(static_cast<size_t>(kind.code), &kind - AllKinds().data());
  }
  EXPECT_EQ(Info(Code::kUnknownAttribute).id, "W0204");
  EXPECT_EQ(Info(Code::kUnknownAttribute).name, "UnknownAttribute");
  EXPECT_EQ(Info(Code::kUnknownAttribute).severity, Severity::kError);
}

TEST(Severity, Names) {
  EXPECT_EQ(SeverityName(Severity::kError), "error");
  EXPECT_EQ(SeverityName(Severity::kWarning), "warning");
  EXPECT_EQ(SeverityName(Severity::kNote), "note");
}

TEST(Builder, FormatsTheMessageAndCarriesEveryPart) {
  Span primary{FileId{0}, 10, 15};
  Span other{FileId{0}, 2, 4};
  Diagnostic d = Make(Code::kUnknownAttribute, primary, "User", "aproval_limit")
                     .Label(other, "declared here")
                     .Note("attributes come from the entity declaration")
                     .Help("did you mean `approval_limit`?")
                     .Fix(primary, "approval_limit");
  EXPECT_EQ(d.code, Code::kUnknownAttribute);
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.message, "`User` has no attribute `aproval_limit`");
  EXPECT_EQ(d.span, primary);
  ASSERT_EQ(d.labels.size(), 1u);
  EXPECT_EQ(d.labels[0].span, other);
  EXPECT_EQ(d.labels[0].message, "declared here");
  EXPECT_THAT(d.notes, ::testing::ElementsAre("attributes come from the entity declaration"));
  EXPECT_EQ(d.help, "did you mean `approval_limit`?");
  ASSERT_EQ(d.fixits.size(), 1u);
  EXPECT_EQ(d.fixits[0].replacement, "approval_limit");
  EXPECT_EQ(&d.info(), &Info(Code::kUnknownAttribute));
}

TEST(Builder, FormatSpecsInTheTableWork) {
  Diagnostic d = Make(Code::kInvalidUtf8, Span{}, 0xC3);
  EXPECT_EQ(d.message, "file is not valid UTF-8 (byte 0xC3)");
  EXPECT_FALSE(d.span.valid());
}

TEST(Collector, KeepsOrderAndCountsErrors) {
  Collector collector;
  EXPECT_FALSE(collector.has_errors());
  collector.Handle(Make(Code::kUnknownName, Span{}, "a"));
  Diagnostic note = Make(Code::kUnknownName, Span{}, "b");
  note.severity = Severity::kNote;
  collector.Handle(std::move(note));
  EXPECT_EQ(collector.error_count(), 1);
  EXPECT_TRUE(collector.has_errors());
  ASSERT_EQ(collector.diagnostics().size(), 2u);
  EXPECT_EQ(collector.diagnostics()[0].message, "unknown name `a`");
  std::vector<Diagnostic> taken = collector.Take();
  EXPECT_EQ(taken.size(), 2u);
}

TEST(ClosestMatch, SuggestsPlausibleTypos) {
  std::vector<std::string> candidates = {"approval_limit", "department", "manager"};
  EXPECT_EQ(ClosestMatch("aproval_limit", candidates), "approval_limit");
  EXPECT_EQ(ClosestMatch("departmnet", candidates), "department");
  EXPECT_EQ(ClosestMatch("mnager", candidates), "manager");
}

TEST(ClosestMatch, RefusesDistantOrExactOrEmpty) {
  std::vector<std::string> candidates = {"approval_limit", "department"};
  EXPECT_EQ(ClosestMatch("zzz", candidates), "");
  EXPECT_EQ(ClosestMatch("budget", candidates), "");
  EXPECT_EQ(ClosestMatch("department", candidates), "");
  EXPECT_EQ(ClosestMatch("x", {}), "");
}

TEST(ClosestMatch, SwappedLettersCountAsOneEdit) {
  std::vector<std::string> candidates = {"email", "day", "week"};
  EXPECT_EQ(ClosestMatch("emial", candidates), "email");
  EXPECT_EQ(ClosestMatch("dya", candidates), "day");
}

TEST(ClosestMatch, ShortNamesAllowOneEdit) {
  std::vector<std::string> candidates = {"sql", "pii"};
  EXPECT_EQ(ClosestMatch("sq", candidates), "sql");
  EXPECT_EQ(ClosestMatch("abc", candidates), "");
}

TEST(ClosestMatch, PrefersTheNearestCandidate) {
  std::vector<std::string> candidates = {"amount_usd", "amount"};
  EXPECT_EQ(ClosestMatch("amont", candidates), "amount");
}

}  // namespace
}  // namespace writ::diag
