#include "runtime/audit/log.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

#include "compiler/base/status.h"
#include "runtime/audit/event_encoding.h"

namespace writ::runtime::audit {

absl::StatusOr<StoredEvent> LogWriter::Append(AuditEvent event) {
  event.seq = frontier_.size();
  StoredEvent row;
  WRIT_ASSIGN_OR_RETURN(row.encoding, Encode(event));
  const Hash leaf = LeafHash(row.encoding);
  row.chain = ChainLink(chain_head_, leaf);
  frontier_.Append(leaf);
  chain_head_ = row.chain;
  return row;
}

std::string EncodeWriterState(const LogWriter& writer) {
  std::string out;
  out.reserve(1 + 8 + 32 + 32 * writer.frontier().peaks().size());
  out.push_back(1);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((writer.size() >> shift) & 0xff));
  }
  out.append(reinterpret_cast<const char*>(writer.chain_head().data()), 32);
  for (const Hash& peak : writer.frontier().peaks()) {
    out.append(reinterpret_cast<const char*>(peak.data()), 32);
  }
  return out;
}

absl::StatusOr<LogWriter> DecodeWriterState(std::string_view bytes) {
  auto bad = [&](std::string_view why) {
    return absl::DataLossError("audit writer state: " + std::string(why));
  };
  if (bytes.size() < 41 || bytes[0] != 1) return bad("unknown version or truncated");
  uint64_t size = 0;
  for (int i = 1; i <= 8; ++i) size = (size << 8) | static_cast<uint8_t>(bytes[i]);
  auto read_hash = [&](size_t offset) {
    Hash hash;
    std::copy_n(reinterpret_cast<const uint8_t*>(bytes.data()) + offset, 32, hash.begin());
    return hash;
  };
  Hash chain = read_hash(9);
  if ((bytes.size() - 41) % 32 != 0) return bad("a partial peak");
  std::vector<Hash> peaks;
  for (size_t offset = 41; offset < bytes.size(); offset += 32) peaks.push_back(read_hash(offset));
  std::optional<TreeFrontier> frontier = TreeFrontier::FromPeaks(size, std::move(peaks));
  if (!frontier) return bad(absl::StrCat("the peaks do not fit a log of ", size, " events"));
  return LogWriter(*frontier, chain);
}

}  // namespace writ::runtime::audit
