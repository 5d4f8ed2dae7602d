// `writ audit` end to end: a session recorded by `writ run`, then the stored log tampered with
// through raw SQL in each way docs/audit.md lists; `writ audit verify` must name each one and its
// position. Proofs written by `writ audit prove` check with the public key and fail once forged.
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <functional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/audit/hash.h"
#include "runtime/audit/log.h"
#include "runtime/audit/merkle.h"
#include "tests/cli_fixture.h"

namespace writ {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using nlohmann::json;
using testing::CliTest;
using testing::ReadAll;
using testing::Result;

const std::string kTrace = std::string(WRIT_SOURCE_DIR) + "/policies/procurement/traces/restock.jsonl";
const std::string kPolicies = std::string(WRIT_SOURCE_DIR) + "/policies";

class AuditCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    Result r = Run({"run", "--policy", kPolicies, "--db", "s.db", "--audit-key", "k.key", kTrace});
    ASSERT_EQ(r.exit, 0) << r.out << r.err;
    ASSERT_THAT(r.err, HasSubstr("created the audit signing key k.key"));
    db_ = (dir_ / "s.db").string();
    key_ = (dir_ / "k.key.pub").string();
  }

  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error != nullptr ? error : "") << " in " << sql;
    sqlite3_free(error);
    sqlite3_close(db);
  }

  // Rewrites one row's encoding through `edit`, keeping it a BLOB.
  void EditEncoding(int seq, const std::function<void(std::string&)>& edit) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* read = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT encoding FROM audit_events WHERE seq = ?1", -1, &read,
                                 nullptr),
              SQLITE_OK);
    sqlite3_bind_int(read, 1, seq);
    ASSERT_EQ(sqlite3_step(read), SQLITE_ROW);
    std::string bytes(static_cast<const char*>(sqlite3_column_blob(read, 0)),
                      static_cast<size_t>(sqlite3_column_bytes(read, 0)));
    sqlite3_finalize(read);
    edit(bytes);
    sqlite3_stmt* write = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE audit_events SET encoding = ?1 WHERE seq = ?2", -1,
                                 &write, nullptr),
              SQLITE_OK);
    sqlite3_bind_blob(write, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int(write, 2, seq);
    EXPECT_EQ(sqlite3_step(write), SQLITE_DONE);
    sqlite3_finalize(write);
    sqlite3_close(db);
  }

  json Verify(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"audit", "verify", "--db", db_, "--public-key", key_, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    Result r = Run(args);
    json doc = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << r.out << r.err;
    EXPECT_EQ(r.exit, doc.value("ok", false) ? 0 : 1) << r.out << r.err;
    return doc;
  }

  std::string db_;
  std::string key_;
};

TEST_F(AuditCliTest, AnUntouchedLogVerifies) {
  json v = Verify();
  EXPECT_TRUE(v["ok"]) << v.dump();
  EXPECT_EQ(v["events_checked"], 24);
  EXPECT_GE(v["tree_heads_checked"].get<int>(), 1);
  Result text = Run({"audit", "verify", "--db", db_});
  EXPECT_EQ(text.exit, 0) << text.err;
  EXPECT_THAT(text.out, StartsWith("ok: 24 events"));
  EXPECT_THAT(text.err, HasSubstr("pass --public-key"));
}

TEST_F(AuditCliTest, AnEditedEventIsCaught) {
  EditEncoding(4, [](std::string& bytes) { bytes[bytes.size() / 2] ^= 0x01; });
  json v = Verify();
  EXPECT_FALSE(v["ok"]);
  EXPECT_THAT(v["problem"].get<std::string>(), ::testing::AnyOf("edited", "malformed"));
  EXPECT_EQ(v["position"], 4) << v.dump();
}

TEST_F(AuditCliTest, ADeletedEventIsCaught) {
  Sql("DELETE FROM audit_events WHERE seq = 7");
  json v = Verify();
  EXPECT_EQ(v["problem"], "deleted") << v.dump();
  EXPECT_EQ(v["position"], 7);
}

TEST_F(AuditCliTest, ReorderedEventsAreCaught) {
  Sql("UPDATE audit_events SET seq = -1 WHERE seq = 5;"
      "UPDATE audit_events SET seq = 5 WHERE seq = 12;"
      "UPDATE audit_events SET seq = 12 WHERE seq = -1;");
  json v = Verify();
  EXPECT_EQ(v["problem"], "reordered") << v.dump();
  EXPECT_EQ(v["position"], 5);
}

TEST_F(AuditCliTest, AnInsertedEventIsCaught) {
  // A forged twin of event 7 slipped in before it, every later row moved up by one.
  Sql("UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 7;"
      "UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1000;"
      "INSERT INTO audit_events SELECT 7, session, encoding, chain FROM audit_events WHERE seq = 8;");
  json v = Verify();
  EXPECT_EQ(v["problem"], "inserted") << v.dump();
  EXPECT_THAT(v["position"].get<int>(), ::testing::AnyOf(7, 8));
}

TEST_F(AuditCliTest, ATruncatedLogIsCaughtByItsTreeHeads) {
  Sql("DELETE FROM audit_events WHERE seq >= 18");
  json v = Verify();
  EXPECT_EQ(v["problem"], "truncated") << v.dump();
  EXPECT_EQ(v["position"], 18);
}

TEST_F(AuditCliTest, ATruncationWithItsHeadsGoneIsCaughtByTheWritersHead) {
  Sql("DELETE FROM audit_events WHERE seq >= 18; DELETE FROM audit_tree_heads;");
  json v = Verify();
  EXPECT_EQ(v["problem"], "truncated") << v.dump();
  EXPECT_EQ(v["position"], 18);
  EXPECT_THAT(v["message"].get<std::string>(), HasSubstr("the store's head says 24"));
}

TEST_F(AuditCliTest, ACompleteCoverUpIsCaughtOnlyByAHeadKeptElsewhere) {
  ASSERT_EQ(Run({"audit", "head", "--db", db_, "--out", "head.txt"}).exit, 0);
  // The forger cuts the log to 18 events, deletes the signed heads and rebuilds the writer's
  // head to fit: everything in the store agrees again.
  Sql("DELETE FROM audit_events WHERE seq >= 18; DELETE FROM audit_tree_heads;");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* rows = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT encoding, chain FROM audit_events ORDER BY seq", -1,
                               &rows, nullptr),
            SQLITE_OK);
  runtime::audit::TreeFrontier frontier;
  runtime::audit::Hash chain{};
  while (sqlite3_step(rows) == SQLITE_ROW) {
    std::string encoding(static_cast<const char*>(sqlite3_column_blob(rows, 0)),
                         static_cast<size_t>(sqlite3_column_bytes(rows, 0)));
    frontier.Append(runtime::audit::LeafHash(encoding));
    std::memcpy(chain.data(), sqlite3_column_blob(rows, 1), chain.size());
  }
  sqlite3_finalize(rows);
  const std::string state =
      runtime::audit::EncodeWriterState(runtime::audit::LogWriter(frontier, chain));
  sqlite3_stmt* write = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE audit_state SET writer = ?1", -1, &write, nullptr),
            SQLITE_OK);
  sqlite3_bind_blob(write, 1, state.data(), static_cast<int>(state.size()), SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(write), SQLITE_DONE);
  sqlite3_finalize(write);
  sqlite3_close(db);

  json inside = Verify();
  EXPECT_TRUE(inside["ok"]) << "the store alone cannot tell: " << inside.dump();
  json outside = Verify({"--tree-head", (dir_ / "head.txt").string()});
  EXPECT_EQ(outside["problem"], "truncated") << outside.dump();
  EXPECT_EQ(outside["position"], 18);
}

TEST_F(AuditCliTest, AWrongKeyFailsTheTreeHeads) {
  Result other = Run({"run", "--policy", kPolicies, "--db", "o.db", "--audit-key", "o.key", kTrace});
  ASSERT_EQ(other.exit, 0);
  json v = Verify({"--public-key", (dir_ / "o.key.pub").string()});
  // Both keys given: the heads verify with one of them.
  EXPECT_TRUE(v["ok"]) << v.dump();
  Result wrong = Run({"audit", "verify", "--db", db_, "--public-key",
                      (dir_ / "o.key.pub").string(), "--json"});
  EXPECT_EQ(wrong.exit, 1);
  EXPECT_EQ(json::parse(wrong.out)["problem"], "bad_tree_head") << wrong.out;
}

TEST_F(AuditCliTest, ShowPrintsASessionsTrace) {
  Result r = Run({"audit", "show", "--db", db_, "--session", "restock-q4"});
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("spawned"));
  EXPECT_THAT(r.out, HasSubstr("suspended"));
  EXPECT_THAT(r.out, HasSubstr("by=\"bob\" outcome=\"approved\""));
  EXPECT_THAT(r.out, HasSubstr("terminated"));
  Result none = Run({"audit", "show", "--db", db_, "--session", "nope"});
  EXPECT_EQ(none.exit, 1);
  Result missing = Run({"audit", "show", "--db", "missing.db"});
  EXPECT_EQ(missing.exit, 2);
}

TEST_F(AuditCliTest, ExportWritesOneJsonLinePerEvent) {
  Result r = Run({"audit", "export", "--db", db_});
  ASSERT_EQ(r.exit, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    json event = json::parse(line, nullptr, false);
    ASSERT_TRUE(event.is_object()) << line;
    EXPECT_EQ(event["seq"], n);
    EXPECT_EQ(event["leaf_hash"].get<std::string>().size(), 64u);
    ++n;
  }
  EXPECT_EQ(n, 24);
  Result after = Run({"audit", "export", "--db", db_, "--after", "21"});
  EXPECT_EQ(std::count(after.out.begin(), after.out.end(), '\n'), 2);
}

TEST_F(AuditCliTest, InclusionProofsCheckAndForgeriesFail) {
  ASSERT_EQ(Run({"audit", "prove", "--db", db_, "13", "--out", "p.json"}).exit, 0);
  Result ok = Run({"audit", "check-proof", "p.json", "--public-key", key_});
  EXPECT_EQ(ok.exit, 0) << ok.out << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("event 13 (suspended) is in the log of 24 events"));

  json proof = json::parse(ReadAll(dir_ / "p.json"));
  ASSERT_FALSE(proof["path"].empty());
  json flipped = proof;
  std::string hash = flipped["path"][0];
  hash[0] = hash[0] == '0' ? '1' : '0';
  flipped["path"][0] = hash;
  Write("flipped.json", flipped.dump());
  Result bad = Run({"audit", "check-proof", "flipped.json", "--public-key", key_});
  EXPECT_EQ(bad.exit, 1);
  EXPECT_THAT(bad.out, StartsWith("invalid:"));

  json moved = proof;
  moved["seq"] = 12;
  Write("moved.json", moved.dump());
  EXPECT_EQ(Run({"audit", "check-proof", "moved.json", "--public-key", key_}).exit, 1);

  json edited = proof;
  std::string encoding = edited["encoding"];
  encoding[encoding.size() - 2] = encoding[encoding.size() - 2] == 'a' ? 'b' : 'a';
  edited["encoding"] = encoding;
  Write("edited.json", edited.dump());
  EXPECT_EQ(Run({"audit", "check-proof", "edited.json", "--public-key", key_}).exit, 1);

  Result other = Run({"run", "--policy", kPolicies, "--db", "o.db", "--audit-key", "o.key", kTrace});
  ASSERT_EQ(other.exit, 0);
  Result wrong_key =
      Run({"audit", "check-proof", "p.json", "--public-key", (dir_ / "o.key.pub").string()});
  EXPECT_EQ(wrong_key.exit, 1);
  EXPECT_THAT(wrong_key.out, HasSubstr("not signed by the given key"));

  Write("junk.json", "{\"proof\": 7}");
  EXPECT_EQ(Run({"audit", "check-proof", "junk.json", "--public-key", key_}).exit, 1);
  Write("notjson.json", "]]");
  EXPECT_EQ(Run({"audit", "check-proof", "notjson.json", "--public-key", key_}).exit, 1);
}

TEST_F(AuditCliTest, UncoveredEventsHaveNoProof) {
  Result r = Run({"audit", "prove", "--db", db_, "40"});
  EXPECT_EQ(r.exit, 1);
  EXPECT_THAT(r.err, HasSubstr("not covered"));
  EXPECT_EQ(Run({"audit", "prove", "--db", db_}).exit, 2);
}

TEST_F(AuditCliTest, AKeyFileReadableByOthersIsRefused) {
  std::filesystem::permissions(dir_ / "k.key", std::filesystem::perms::owner_read |
                                                   std::filesystem::perms::owner_write |
                                                   std::filesystem::perms::group_read);
  Result r = Run({"run", "--policy", kPolicies, "--db", "s2.db", "--audit-key", "k.key", kTrace});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.err, HasSubstr("chmod 600"));
}

}  // namespace
}  // namespace writ
