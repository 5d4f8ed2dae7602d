// Fuzz target audit_verify: a genuine audit log of kEvents events with three signed tree heads,
// edited by the input, which is a program of tampering operations (edit, delete, swap,
// duplicate, truncate, forge, relink, change the heads). The verifier, streaming and whole,
// must report ok or a problem, never crash, and agree with itself; it must report ok for the
// log as written and a problem for any change to the events its last head covers. Decoders of
// rows, heads and the writer's state accept only the canonical encoding: what decodes (and is
// valid) encodes back to the same bytes.
#include <sodium.h>

#include <algorithm>

#include "fuzz/fuzz.h"
#include "runtime/audit/event_encoding.h"
#include "runtime/audit/hash.h"
#include "runtime/audit/log.h"
#include "runtime/audit/tree_head.h"
#include "runtime/audit/verifier.h"

namespace writ::runtime::audit {
namespace {

using fuzz::Cat;

constexpr size_t kEvents = 16;

AuditEvent MakeEvent(size_t i) {
  AuditEvent e;
  e.session = i < 8 ? "s1" : "s2";
  e.step = std::to_string(i);
  e.at = 1'000 + static_cast<int64_t>(i);
  switch (i % 4) {
    case 0:
      e.kind = EventKind::kDecided;
      e.SetField("tool", std::string("db.query"));
      e.SetField("effect", std::string(i % 8 ? "allow" : "deny"));
      e.SetField("reasons", std::vector<std::string>{"reason " + std::to_string(i)});
      e.SetField("matched_rules", std::vector<std::string>{"rule#1", "rule#2"});
      break;
    case 1:
      e.kind = EventKind::kCredentialMinted;
      e.SetField("lease_id", "lease-" + std::to_string(i));
      e.SetField("tool", std::string("erp.order"));
      e.SetField("scopes", std::vector<std::string>{"po.write"});
      e.SetField("expires_at", int64_t{900'000});
      break;
    case 2:
      e.kind = EventKind::kCheckpointed;
      e.SetField("version", static_cast<int64_t>(i));
      e.SetField("digest", std::string("00ff"));
      break;
    default:
      e.kind = EventKind::kCredentialRevoked;
      e.SetField("lease_id", "lease-" + std::to_string(i - 2));
      e.SetField("reason", std::string("step finished"));
      break;
  }
  return e;
}

struct Log {
  PublicKey public_key{};
  SecretKey secret_key{};
  std::vector<StoredEvent> rows;
  std::vector<SignedTreeHead> heads;
};

const Log& Genuine() {
  static const Log* log = [] {
    auto* out = new Log;
    WRIT_FUZZ_CHECK(EnsureSodium().ok(), "libsodium");
    unsigned char seed[crypto_sign_SEEDBYTES] = {7};
    crypto_sign_seed_keypair(out->public_key.data(), out->secret_key.data(), seed);
    LogWriter writer;
    for (size_t i = 0; i < kEvents; ++i) {
      absl::StatusOr<StoredEvent> row = writer.Append(MakeEvent(i));
      WRIT_FUZZ_CHECK(row.ok(), row.status().ToString());
      out->rows.push_back(*std::move(row));
      if (i + 1 == 4 || i + 1 == 11 || i + 1 == kEvents) {
        out->heads.push_back(*SignTreeHead(
            {writer.size(), writer.Root(), 5'000 + static_cast<int64_t>(i)}, out->secret_key));
      }
    }
    return out;
  }();
  return *log;
}

// Reads the tampering program.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool done() const { return bytes_.empty(); }
  uint8_t Byte() {
    if (bytes_.empty()) return 0;
    uint8_t b = static_cast<uint8_t>(bytes_.front());
    bytes_.remove_prefix(1);
    return b;
  }
  std::string_view Bytes(size_t n) {
    n = std::min(n, bytes_.size());
    std::string_view out = bytes_.substr(0, n);
    bytes_.remove_prefix(n);
    return out;
  }

 private:
  std::string_view bytes_;
};

void CheckCanonical(std::string_view bytes) {
  if (absl::StatusOr<AuditEvent> event = Decode(bytes); event.ok() && Validate(*event).ok()) {
    absl::StatusOr<std::string> again = Encode(*event);
    WRIT_FUZZ_CHECK(again.ok() && *again == bytes, "an event decodes from a second encoding");
  }
  if (absl::StatusOr<SignedTreeHead> head = DecodeTreeHead(bytes); head.ok()) {
    WRIT_FUZZ_CHECK(EncodeTreeHead(*head) == bytes, "a tree head decodes from a second encoding");
  }
  if (absl::StatusOr<LogWriter> writer = DecodeWriterState(bytes); writer.ok()) {
    WRIT_FUZZ_CHECK(EncodeWriterState(*writer) == bytes,
                    "a writer state decodes from a second encoding");
  }
}

void RunAuditVerify(std::string_view input) {
  const Log& genuine = Genuine();
  std::vector<StoredEvent> rows = genuine.rows;
  std::vector<SignedTreeHead> heads = genuine.heads;
  Reader in(input);
  for (int op = 0; op < 64 && !in.done(); ++op) {
    const uint8_t code = in.Byte();
    const size_t at = rows.empty() ? 0 : in.Byte() % rows.size();
    switch (code % 10) {
      case 0:  // flip bits of one byte of an event's encoding
        if (!rows.empty() && !rows[at].encoding.empty()) {
          const size_t offset = in.Byte() % rows[at].encoding.size();
          rows[at].encoding[offset] = static_cast<char>(rows[at].encoding[offset] ^ (in.Byte() | 1));
        }
        break;
      case 1:  // delete
        if (!rows.empty()) rows.erase(rows.begin() + static_cast<ptrdiff_t>(at));
        break;
      case 2:  // swap
        if (!rows.empty()) std::swap(rows[at], rows[in.Byte() % rows.size()]);
        break;
      case 3:  // duplicate
        if (!rows.empty()) rows.insert(rows.begin() + static_cast<ptrdiff_t>(at), rows[at]);
        break;
      case 4:  // truncate
        rows.resize(at);
        break;
      case 5: {  // replace an event with the input's bytes, linked as the writer would have
        StoredEvent forged{std::string(in.Bytes(in.Byte())), {}};
        CheckCanonical(forged.encoding);
        const Hash previous = at == 0 || rows.empty() ? kChainStart : rows[at - 1].chain;
        forged.chain = ChainLink(previous, LeafHash(forged.encoding));
        if (rows.empty()) {
          rows.push_back(std::move(forged));
        } else {
          rows[at] = std::move(forged);
        }
        break;
      }
      case 6:  // flip bits of a chain link
        if (!rows.empty()) rows[at].chain[in.Byte() % rows[at].chain.size()] ^= (in.Byte() | 1);
        break;
      case 7:  // rewrite every chain link from `at` on, as a forger without the key would
        for (size_t i = at; i < rows.size(); ++i) {
          rows[i].chain = ChainLink(i == 0 ? kChainStart : rows[i - 1].chain,
                                    LeafHash(rows[i].encoding));
        }
        break;
      case 8: {  // change a tree head's bytes, drop it if it no longer decodes
        if (heads.empty()) break;
        const size_t head = in.Byte() % heads.size();
        std::string bytes = EncodeTreeHead(heads[head]);
        bytes[in.Byte() % bytes.size()] ^= static_cast<char>(in.Byte() | 1);
        absl::StatusOr<SignedTreeHead> decoded = DecodeTreeHead(bytes);
        if (decoded.ok()) {
          heads[head] = *decoded;
        } else {
          heads.erase(heads.begin() + static_cast<ptrdiff_t>(head));
        }
        break;
      }
      default: {  // drop a head, or add one from the input's bytes
        if (!heads.empty() && (in.Byte() & 1)) {
          heads.erase(heads.begin() + static_cast<ptrdiff_t>(in.Byte() % heads.size()));
        } else {
          const std::string_view bytes = in.Bytes(kTreeHeadBytes);
          CheckCanonical(bytes);
          if (absl::StatusOr<SignedTreeHead> head = DecodeTreeHead(bytes); head.ok()) {
            heads.push_back(*head);
          }
        }
        break;
      }
    }
  }
  for (const StoredEvent& row : rows) CheckCanonical(row.encoding);

  LogVerifier verifier(genuine.public_key, heads);
  for (const StoredEvent& row : rows) {
    if (!verifier.Add(row)) break;
  }
  const VerifyResult streamed = verifier.Finish();
  const VerifyResult whole = VerifyLog(rows, heads, genuine.public_key);
  const std::string outcome =
      Cat(Spelling(streamed.problem), " at ", streamed.position, ": ", streamed.message);
  WRIT_FUZZ_CHECK(streamed.problem == whole.problem && streamed.position == whole.position,
                  Cat(outcome, " / whole: ", Spelling(whole.problem), " at ",
                               whole.position));
  WRIT_FUZZ_CHECK(streamed.ok() || !streamed.message.empty(), outcome);
  if (streamed.ok()) WRIT_FUZZ_CHECK(streamed.events_checked == rows.size(), outcome);

  const bool heads_intact = heads == genuine.heads;
  const bool covered_intact =
      rows.size() >= kEvents && std::equal(genuine.rows.begin(), genuine.rows.end(), rows.begin());
  if (heads_intact && rows == genuine.rows) WRIT_FUZZ_CHECK(streamed.ok(), outcome);
  if (heads_intact && !covered_intact) {
    WRIT_FUZZ_CHECK(!streamed.ok(), "a change to the signed events verified");
  }
}

// One program per kind of tampering, and the untouched log.
std::vector<std::string> AuditSeeds() {
  std::vector<std::string> seeds = {""};
  for (char code = 0; code < 10; ++code) {
    seeds.push_back(std::string{code, 5, 3, 1, 9});
    seeds.push_back(std::string{code, 14, 2, 0, 1, code, 0, 7, 7, 7});
  }
  // A forged event: a genuine encoding with another session, relinked.
  AuditEvent event = MakeEvent(5);
  event.session = "s3";
  event.seq = 5;
  const std::string encoding = *Encode(event);
  seeds.push_back(std::string{5, 5, static_cast<char>(encoding.size())} + encoding);
  return seeds;
}

WRIT_FUZZ_TARGET("audit_verify", RunAuditVerify, AuditSeeds);

}  // namespace
}  // namespace writ::runtime::audit
