// Events encode to one canonical form and decode back; every kind's required fields are
// enforced on the way in; any damaged or non-canonical encoding is refused, never misread.
#include <string>

#include <gtest/gtest.h>

#include "runtime/audit/event.h"
#include "runtime/audit/event_encoding.h"

namespace writ::runtime::audit {
namespace {

AuditEvent Decided() {
  AuditEvent e;
  e.seq = 7;
  e.kind = EventKind::kDecided;
  e.at = 1'700'000'000'123;
  e.session = "s1";
  e.step = "3";
  e.SetField("tool", std::string("payments.transfer"));
  e.SetField("effect", std::string("deny"));
  e.SetField("reasons", std::vector<std::string>{"exceeds the delegating user's approval limit"});
  e.SetField("matched_rules", std::vector<std::string>{"procurement.rule#2"});
  e.SetField("amount_units", int64_t{-1200000});
  return e;
}

TEST(EventEncodingTest, RoundTripsAndIsCanonical) {
  const AuditEvent event = Decided();
  absl::StatusOr<std::string> bytes = Encode(event);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<AuditEvent> back = Decode(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, event);
  EXPECT_EQ(*Encode(*back), *bytes);
}

TEST(EventEncodingTest, FieldOrderOfConstructionDoesNotMatter) {
  AuditEvent a = Decided();
  AuditEvent b = a;
  b.fields.clear();
  for (auto it = a.fields.rbegin(); it != a.fields.rend(); ++it) b.SetField(it->key, it->value);
  EXPECT_EQ(*Encode(a), *Encode(b));
}

// The layout docs/audit.md documents, byte by byte.
TEST(EventEncodingTest, LayoutIsTheDocumentedOne) {
  AuditEvent e;
  e.seq = 1;
  e.kind = EventKind::kTerminated;
  e.at = 2;
  e.session = "s";
  e.SetField("reason", std::string("done"));
  const std::string expected = std::string("\x01\x0d", 2) + std::string(7, '\0') + "\x01" +
                               std::string(7, '\0') + "\x02" + std::string("\0\0\0\x01s", 5) +
                               std::string(4, '\0') + std::string("\0\0\0\x01", 4) +
                               std::string("\0\0\0\x06reason", 10) + "\x01" +
                               std::string("\0\0\0\x04" "done", 8);
  EXPECT_EQ(*Encode(e), expected);
}

TEST(EventEncodingTest, EveryKindHasASpellingAndRequiresItsFields) {
  for (int code = 1; code <= 13; ++code) {
    std::optional<EventKind> kind = EventKindFromCode(static_cast<uint8_t>(code));
    ASSERT_TRUE(kind.has_value()) << code;
    EXPECT_EQ(ParseEventKind(Spelling(*kind)), kind);
    AuditEvent bare;
    bare.kind = *kind;
    bare.session = "s";
    EXPECT_EQ(Encode(bare).status().code(), absl::StatusCode::kInvalidArgument) << code;
  }
  EXPECT_FALSE(EventKindFromCode(0).has_value());
  EXPECT_FALSE(EventKindFromCode(14).has_value());
}

TEST(EventEncodingTest, DigestMayStandInForArguments) {
  AuditEvent e;
  e.kind = EventKind::kToolCalled;
  e.session = "s";
  e.SetField("tool", std::string("db.query"));
  e.SetField("args_digest", std::string("ab12"));
  EXPECT_TRUE(Encode(e).ok());
  e.SetField("args_digest", int64_t{3});
  EXPECT_EQ(Encode(e).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EventEncodingTest, ValidateNamesTheProblem) {
  AuditEvent e = Decided();
  e.SetField("reasons", std::string("not a list"));
  absl::Status status = Validate(e);
  EXPECT_NE(status.message().find("'reasons' must be a list"), std::string::npos) << status;
  e = Decided();
  e.session.clear();
  EXPECT_NE(Validate(e).message().find("session"), std::string::npos);
  e = Decided();
  std::swap(e.fields[0], e.fields[1]);
  EXPECT_NE(Validate(e).message().find("sorted"), std::string::npos);
}

TEST(EventEncodingTest, EveryTruncationIsRefused) {
  const std::string bytes = *Encode(Decided());
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_EQ(Decode(bytes.substr(0, size)).status().code(), absl::StatusCode::kDataLoss) << size;
  }
  EXPECT_EQ(Decode(bytes + "x").status().code(), absl::StatusCode::kDataLoss);
}

// A flipped byte either fails to decode or decodes to a different event; it is never the
// original event read back from other bytes.
TEST(EventEncodingTest, FlippedBytesNeverDecodeToTheSameEvent) {
  const AuditEvent event = Decided();
  const std::string bytes = *Encode(event);
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xff}}) {
      std::string damaged = bytes;
      damaged[i] = static_cast<char>(damaged[i] ^ mask);
      absl::StatusOr<AuditEvent> decoded = Decode(damaged);
      if (decoded.ok()) {
        EXPECT_NE(*decoded, event) << i;
      }
    }
  }
}

TEST(EventEncodingTest, NonCanonicalAndHostileEncodingsAreRefused) {
  std::string bytes = *Encode(Decided());
  std::string bad_version = bytes;
  bad_version[0] = 2;
  EXPECT_NE(Decode(bad_version).status().message().find("version"), std::string::npos);
  std::string bad_kind = bytes;
  bad_kind[1] = 99;
  EXPECT_NE(Decode(bad_kind).status().message().find("kind"), std::string::npos);

  // Two fields written in the wrong order.
  AuditEvent e;
  e.kind = EventKind::kTerminated;
  e.session = "s";
  e.SetField("reason", std::string("r"));
  e.SetField("zz", std::string("z"));
  std::string two = *Encode(e);
  const std::string reason = std::string("\0\0\0\x06reason\x01\0\0\0\x01r", 16);
  const std::string zz = std::string("\0\0\0\x02zz\x01\0\0\0\x01z", 12);
  const size_t at = two.find(reason);
  ASSERT_NE(at, std::string::npos);
  std::string swapped = two.substr(0, at) + zz + reason;
  EXPECT_NE(Decode(swapped).status().message().find("out of order"), std::string::npos);

  // Counts far beyond the bytes present are refused before anything is allocated.
  std::string huge = two.substr(0, at - 4) + std::string("\xff\xff\xff\xff", 4);
  EXPECT_EQ(Decode(huge).status().code(), absl::StatusCode::kDataLoss);
  std::string huge_list = two.substr(0, at - 4) + std::string("\0\0\0\x01", 4) +
                          std::string("\0\0\0\x01k\x03\xff\xff\xff\xff", 10);
  EXPECT_EQ(Decode(huge_list).status().code(), absl::StatusCode::kDataLoss);
  std::string huge_string = two.substr(0, at - 4) + std::string("\0\0\0\x01", 4) +
                            std::string("\0\0\0\x01k\x01\x7f\xff\xff\xff", 10);
  EXPECT_EQ(Decode(huge_string).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Decode("").status().code(), absl::StatusCode::kDataLoss);

  // An empty key, which Encode never writes.
  std::string empty_key = two.substr(0, at - 4) + std::string("\0\0\0\x01", 4) +
                          std::string("\0\0\0\0\x01\0\0\0\0", 9);
  EXPECT_NE(Decode(empty_key).status().message().find("empty field key"), std::string::npos);
}

// An event over the limit is refused without the writer holding more than the limit: many
// large strings fail at the first one that does not fit.
TEST(EventEncodingTest, OversizedEventsAreRefused) {
  AuditEvent e;
  e.kind = EventKind::kTerminated;
  e.session = "s";
  e.SetField("reason", std::string(kMaxEventBytes, 'r'));
  EXPECT_EQ(Encode(e).status().code(), absl::StatusCode::kInvalidArgument);

  const std::string big(kMaxEventBytes / 4, 'x');
  e.SetField("reason", std::string("r"));
  e.SetField("bulk", std::vector<std::string>(64, big));
  EXPECT_EQ(Encode(e).status().code(), absl::StatusCode::kInvalidArgument);

  e.SetField("bulk", std::vector<std::string>(3, big));
  absl::StatusOr<std::string> fits = Encode(e);
  ASSERT_TRUE(fits.ok()) << fits.status();
  EXPECT_LE(fits->size(), kMaxEventBytes);
  EXPECT_EQ(*Decode(*fits), e);
}

}  // namespace
}  // namespace writ::runtime::audit
