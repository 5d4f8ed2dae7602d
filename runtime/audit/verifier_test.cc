// The verifier against every way of tampering with a stored log that issue 7 names: an edited,
// deleted, reordered or inserted event, a truncated log, a rewritten chain, and bad tree heads.
// Each must be reported with the right kind at the first bad position; an intact log verifies.
#include <sodium.h>

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/audit/event_encoding.h"
#include "runtime/audit/log.h"
#include "runtime/audit/tree_head.h"
#include "runtime/audit/verifier.h"

namespace writ::runtime::audit {
namespace {

constexpr size_t kEvents = 20;

AuditEvent MakeEvent(size_t i) {
  AuditEvent e;
  e.session = "s1";
  e.step = std::to_string(i);
  e.at = 1'000 + static_cast<int64_t>(i);
  if (i % 3 == 0) {
    e.kind = EventKind::kDecided;
    e.SetField("tool", std::string("db.query"));
    e.SetField("effect", std::string(i % 2 ? "allow" : "deny"));
    e.SetField("reasons", std::vector<std::string>{"reason " + std::to_string(i)});
    e.SetField("matched_rules", std::vector<std::string>{"rule#1"});
  } else if (i % 3 == 1) {
    e.kind = EventKind::kCredentialMinted;
    e.SetField("lease_id", "lease-" + std::to_string(i));
    e.SetField("tool", std::string("erp.order"));
    e.SetField("scopes", std::vector<std::string>{"po.write"});
    e.SetField("expires_at", int64_t{900'000});
  } else {
    e.kind = EventKind::kCheckpointed;
    e.SetField("version", static_cast<int64_t>(i));
    e.SetField("digest", std::string("00ff"));
  }
  return e;
}

class VerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(EnsureSodium().ok());
    crypto_sign_keypair(public_key_.data(), secret_key_.data());
    LogWriter writer;
    for (size_t i = 0; i < kEvents; ++i) {
      rows_.push_back(*writer.Append(MakeEvent(i)));
      if (i + 1 == 5 || i + 1 == 10 || i + 1 == kEvents) {
        heads_.push_back(*SignTreeHead({writer.size(), writer.Root(), 5'000 + int64_t(i)},
                                       secret_key_));
      }
    }
  }

  VerifyResult Verify(const std::vector<StoredEvent>& rows) const {
    return VerifyLog(rows, heads_, public_key_);
  }

  // The row an attacker with the format but not the key writes: a valid encoding of `event`,
  // linked to the chain before it as the writer would have.
  static StoredEvent Forge(AuditEvent event, const Hash& previous_chain) {
    StoredEvent row{*Encode(event), {}};
    row.chain = ChainLink(previous_chain, LeafHash(row.encoding));
    return row;
  }

  PublicKey public_key_;
  SecretKey secret_key_;
  std::vector<StoredEvent> rows_;
  std::vector<SignedTreeHead> heads_;
};

void ExpectProblem(const VerifyResult& result, Problem problem, uint64_t position) {
  EXPECT_EQ(Spelling(result.problem), Spelling(problem)) << result.message;
  EXPECT_EQ(result.position, position) << result.message;
}

TEST_F(VerifierTest, IntactLogVerifies) {
  VerifyResult result = Verify(rows_);
  EXPECT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.events_checked, kEvents);
  EXPECT_EQ(result.tree_heads_checked, 3u);
}

TEST_F(VerifierTest, EditedBytesAreFoundAtTheirPosition) {
  for (size_t victim : {size_t{0}, size_t{7}, kEvents - 1}) {
    std::vector<StoredEvent> rows = rows_;
    rows[victim].encoding.back() ^= 0x01;  // the last byte of a string field: still decodes
    ExpectProblem(Verify(rows), Problem::kEdited, victim);
  }
}

TEST_F(VerifierTest, AReEncodedEventIsEdited) {
  std::vector<StoredEvent> rows = rows_;
  AuditEvent event = *Decode(rows[7].encoding);
  event.SetField("lease_id", std::string("lease-of-someone-else"));
  rows[7].encoding = *Encode(event);
  ExpectProblem(Verify(rows), Problem::kEdited, 7);
}

// An attacker who recomputes every chain link after the edit passes the chain, not the heads.
TEST_F(VerifierTest, ARewrittenChainFailsTheCoveringTreeHead) {
  std::vector<StoredEvent> rows = rows_;
  AuditEvent event = *Decode(rows[7].encoding);
  event.SetField("expires_at", int64_t{99'999'999});
  for (size_t i = 7; i < rows.size(); ++i) {
    rows[i] = Forge(i == 7 ? event : *Decode(rows[i].encoding), rows[i - 1].chain);
  }
  VerifyResult result = Verify(rows);
  ExpectProblem(result, Problem::kTreeHeadMismatch, 5);
  EXPECT_EQ(result.tree_head, 1u);
}

TEST_F(VerifierTest, AMalformedRowIsFound) {
  std::vector<StoredEvent> rows = rows_;
  rows[4].encoding = "not an event";
  ExpectProblem(Verify(rows), Problem::kMalformed, 4);
}

TEST_F(VerifierTest, DeletedEventsAreFound) {
  for (size_t victim : {size_t{0}, size_t{7}, size_t{9}}) {
    std::vector<StoredEvent> rows = rows_;
    rows.erase(rows.begin() + victim);
    ExpectProblem(Verify(rows), Problem::kDeleted, victim);
  }
}

TEST_F(VerifierTest, ReorderedEventsAreFound) {
  for (auto [a, b] : {std::pair<size_t, size_t>{7, 12}, {7, 8}, {0, kEvents - 1}}) {
    std::vector<StoredEvent> rows = rows_;
    std::swap(rows[a], rows[b]);
    ExpectProblem(Verify(rows), Problem::kReordered, a);
  }
  std::vector<StoredEvent> rows = rows_;
  StoredEvent moved = rows[3];
  rows.erase(rows.begin() + 3);
  rows.insert(rows.begin() + 10, moved);
  ExpectProblem(Verify(rows), Problem::kReordered, 3);
}

TEST_F(VerifierTest, InsertedEventsAreFound) {
  // A forged event claiming position 7, with a made-up chain link.
  AuditEvent forged = MakeEvent(7);
  forged.seq = 7;
  forged.SetField("tool", std::string("payments.transfer"));
  std::vector<StoredEvent> rows = rows_;
  rows.insert(rows.begin() + 7, StoredEvent{*Encode(forged), rows_[7].chain});
  ExpectProblem(Verify(rows), Problem::kInserted, 7);

  // The same with a chain link computed to fit after event 6: event 7 then repeats its seq.
  rows = rows_;
  rows.insert(rows.begin() + 7, Forge(forged, rows_[6].chain));
  ExpectProblem(Verify(rows), Problem::kInserted, 7);

  // A copy of event 6 right after it.
  rows = rows_;
  rows.insert(rows.begin() + 7, rows_[6]);
  ExpectProblem(Verify(rows), Problem::kInserted, 7);

  // A forged event claiming seq 6, linked to fit after event 5, placed after the genuine 6:
  // both link to the same chain, and event 7's link names the genuine one.
  AuditEvent twin = MakeEvent(6);
  twin.seq = 6;
  twin.SetField("digest", std::string("forged"));
  rows = rows_;
  rows.insert(rows.begin() + 7, Forge(twin, rows_[5].chain));
  ExpectProblem(Verify(rows), Problem::kInserted, 7);

  // The same twin as the last row: nothing after it decides, the earlier of the two is named.
  AuditEvent last_twin = MakeEvent(kEvents - 1);
  last_twin.seq = kEvents - 1;
  last_twin.SetField("digest", std::string("forged"));
  rows = rows_;
  rows.push_back(Forge(last_twin, rows_[kEvents - 2].chain));
  ExpectProblem(Verify(rows), Problem::kInserted, kEvents - 1);

  // A forged event that claims a later position (a copy of event 15 at position 7): seq 15
  // appears twice, so it is an insertion, not a reordering.
  rows = rows_;
  rows.insert(rows.begin() + 7, rows_[15]);
  ExpectProblem(Verify(rows), Problem::kInserted, 7);
}

TEST_F(VerifierTest, AnEventWhoseSeqWasChangedIsEdited) {
  std::vector<StoredEvent> rows = rows_;
  AuditEvent event = *Decode(rows[7].encoding);
  event.seq = 12;
  rows[7] = Forge(event, rows[6].chain);
  ExpectProblem(Verify(rows), Problem::kEdited, 7);
}

// Editing an event and recomputing its own link moves the break to the next row; without the
// old link nothing tells the two apart, so the message names both.
TEST_F(VerifierTest, AnEditWithItsLinkRecomputedBreaksTheChainAtTheNextRow) {
  std::vector<StoredEvent> rows = rows_;
  AuditEvent event = *Decode(rows[7].encoding);
  event.SetField("lease_id", std::string("lease-of-someone-else"));
  rows[7] = Forge(event, rows[6].chain);
  VerifyResult result = Verify(rows);
  ExpectProblem(result, Problem::kEdited, 8);
  EXPECT_NE(result.message.find("the one before it"), std::string::npos) << result.message;
}

TEST_F(VerifierTest, TruncationIsFoundAgainstTheLatestTreeHead) {
  std::vector<StoredEvent> rows(rows_.begin(), rows_.end() - 3);
  VerifyResult result = Verify(rows);
  ExpectProblem(result, Problem::kTruncated, kEvents - 3);
  EXPECT_EQ(result.tree_head, 2u);

  // The stored heads were cut back too; a head kept outside the store still catches it.
  const SignedTreeHead exported = heads_.back();
  std::vector<SignedTreeHead> stored(heads_.begin(), heads_.end() - 1);
  EXPECT_TRUE(VerifyLog(rows, stored, public_key_).ok());
  stored.push_back(exported);
  ExpectProblem(VerifyLog(rows, stored, public_key_), Problem::kTruncated, kEvents - 3);
}

TEST_F(VerifierTest, BadTreeHeadsAreRefusedBeforeAnyEvent) {
  std::vector<SignedTreeHead> heads = heads_;
  heads[1].signature[10] ^= 0x20;
  VerifyResult result = VerifyLog(rows_, heads, public_key_);
  EXPECT_EQ(result.problem, Problem::kBadTreeHead);
  EXPECT_EQ(result.tree_head, 1u);

  PublicKey other_public;
  SecretKey other_secret;
  crypto_sign_keypair(other_public.data(), other_secret.data());
  EXPECT_EQ(VerifyLog(rows_, heads_, other_public).problem, Problem::kBadTreeHead);

  // Two validly signed heads that disagree about the same size: a forked log.
  heads = heads_;
  heads.push_back(*SignTreeHead({10, heads_[0].head.root, 9'000}, secret_key_));
  EXPECT_EQ(VerifyLog(rows_, heads, public_key_).problem, Problem::kBadTreeHead);
}

TEST_F(VerifierTest, StreamingStopsAtTheFirstProblem) {
  std::vector<StoredEvent> rows = rows_;
  rows[2].encoding = "x";
  LogVerifier verifier(public_key_, heads_);
  size_t fed = 0;
  for (const StoredEvent& row : rows) {
    ++fed;
    if (!verifier.Add(row)) break;
  }
  EXPECT_EQ(fed, 3u);
  ExpectProblem(verifier.Finish(), Problem::kMalformed, 2);
}

TEST(WriterStateTest, AWriterRestoredFromItsStateWritesTheSameLog) {
  // Every size from 0 to 40 exercises frontiers of every shape up to 6 peaks.
  for (size_t split = 0; split <= 40; ++split) {
    LogWriter straight;
    LogWriter first;
    std::vector<StoredEvent> expected;
    for (size_t i = 0; i < 45; ++i) expected.push_back(*straight.Append(MakeEvent(i)));
    for (size_t i = 0; i < split; ++i) ASSERT_TRUE(first.Append(MakeEvent(i)).ok());
    absl::StatusOr<LogWriter> restored = DecodeWriterState(EncodeWriterState(first));
    ASSERT_TRUE(restored.ok()) << restored.status();
    EXPECT_EQ(restored->size(), split);
    EXPECT_EQ(restored->Root(), first.Root());
    for (size_t i = split; i < 45; ++i) {
      absl::StatusOr<StoredEvent> row = restored->Append(MakeEvent(i));
      ASSERT_TRUE(row.ok());
      EXPECT_EQ(*row, expected[i]) << "split " << split << ", event " << i;
    }
    EXPECT_EQ(restored->Root(), straight.Root());
  }
}

TEST(WriterStateTest, DamagedStatesAreDataLoss) {
  LogWriter writer;
  for (size_t i = 0; i < 7; ++i) ASSERT_TRUE(writer.Append(MakeEvent(i)).ok());
  const std::string state = EncodeWriterState(writer);
  ASSERT_EQ(state.size(), 1 + 8 + 32 + 3 * 32);  // 7 = 0b111: three peaks
  EXPECT_EQ(DecodeWriterState("").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeWriterState(state.substr(0, state.size() - 1)).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeWriterState(state.substr(0, state.size() - 32)).status().code(),
            absl::StatusCode::kDataLoss);  // two peaks cannot make a log of 7
  std::string version = state;
  version[0] = 2;
  EXPECT_EQ(DecodeWriterState(version).status().code(), absl::StatusCode::kDataLoss);
  std::string size = state;
  size[8] = 8;  // a log of 8 has one peak
  EXPECT_EQ(DecodeWriterState(size).status().code(), absl::StatusCode::kDataLoss);
}

TEST(TreeHeadTest, SignsVerifiesAndRoundTrips) {
  ASSERT_TRUE(EnsureSodium().ok());
  PublicKey pk;
  SecretKey sk;
  crypto_sign_keypair(pk.data(), sk.data());
  const SignedTreeHead sth = *SignTreeHead({42, LeafHash("x"), 1'234}, sk);
  EXPECT_TRUE(VerifyTreeHead(sth, pk).ok());
  EXPECT_EQ(TreeHeadMessage(sth.head).size(), 71u);
  const std::string bytes = EncodeTreeHead(sth);
  ASSERT_EQ(bytes.size(), kTreeHeadBytes);
  EXPECT_EQ(*DecodeTreeHead(bytes), sth);
  for (size_t i = 1; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] ^= 0x01;
    EXPECT_EQ(VerifyTreeHead(*DecodeTreeHead(damaged), pk).code(),
              absl::StatusCode::kUnauthenticated)
        << i;
  }
  EXPECT_FALSE(DecodeTreeHead(bytes.substr(1)).ok());
  EXPECT_FALSE(DecodeTreeHead("\x02" + bytes.substr(1)).ok());
}

}  // namespace
}  // namespace writ::runtime::audit
