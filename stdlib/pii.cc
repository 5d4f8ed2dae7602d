// std.pii: the detectors of internal/pii_scan.h combined into contains, kinds, find and redact.
// Every combination walks each selected scanner once, left to right, so it costs one pass per
// selected detector and needs no memory beyond a fixed table of the scanners' next findings.
#include <cstring>
#include <iterator>
#include <string_view>

#include "stdlib/internal/pii_scan.h"
#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

using internal::kScanners;
using internal::Span;

static_assert(std::size(kScanners) == WRIT_PII_KIND_COUNT);

constexpr const char* kKindNames[WRIT_PII_KIND_COUNT] = {
    "email",  "phone",   "us_ssn",       "card",         "iban",        "ipv4",        "ipv6",
    "secret", "aws_key", "github_token", "gitlab_token", "slack_token", "private_key", "jwt",
};

std::string_view Text(const char* s, size_t size) {
  return std::string_view(size == 0 ? "" : s, size);
}

// The next finding of every selected scanner: the merge front of a left-to-right walk.
class Front {
 public:
  Front(std::string_view text, uint32_t mask) : text_(text) {
    for (uint32_t k = 0; k < WRIT_PII_KIND_COUNT; ++k) {
      valid_[k] = (mask >> k & 1) && kScanners[k](text_, 0, &next_[k]);
    }
  }

  // The kind whose next finding comes first: lowest begin, then longest, then the more
  // specific detector (`secret` is the generic one), then lowest kind. -1 when every scanner
  // is done.
  int First() const {
    int best = -1;
    for (int k = 0; k < WRIT_PII_KIND_COUNT; ++k) {
      if (!valid_[k]) continue;
      if (best < 0 || next_[k].begin < next_[best].begin ||
          (next_[k].begin == next_[best].begin &&
           (next_[k].end > next_[best].end ||
            (next_[k].end == next_[best].end && best == WRIT_PII_SECRET)))) {
        best = k;
      }
    }
    return best;
  }

  // A kind whose next finding begins before `end`, or -1.
  int BeginningBefore(size_t end) const {
    for (int k = 0; k < WRIT_PII_KIND_COUNT; ++k) {
      if (valid_[k] && next_[k].begin < end) return k;
    }
    return -1;
  }

  const Span& next(int kind) const { return next_[kind]; }

  // Moves the scanner `kind` past its current finding.
  void Advance(int kind) {
    valid_[kind] = kScanners[kind](text_, next_[kind].end, &next_[kind]);
  }

 private:
  std::string_view text_;
  bool valid_[WRIT_PII_KIND_COUNT] = {};
  Span next_[WRIT_PII_KIND_COUNT] = {};
};

}  // namespace
}  // namespace writ::stdlib

using writ::stdlib::Front;
using writ::stdlib::Text;

extern "C" {

const char* writ_pii_kind_name(uint32_t kind) noexcept {
  return kind < WRIT_PII_KIND_COUNT ? writ::stdlib::kKindNames[kind] : nullptr;
}

bool writ_pii_contains(const char* s, size_t size) noexcept {
  return writ_pii_kinds(s, size, WRIT_PII_ALL) != 0;
}

bool writ_pii_contains_kind(const char* s, size_t size, uint32_t kind) noexcept {
  if (kind >= WRIT_PII_KIND_COUNT) return false;
  writ::stdlib::internal::Span span;
  return writ::stdlib::internal::kScanners[kind](Text(s, size), 0, &span);
}

uint32_t writ_pii_kinds(const char* s, size_t size, uint32_t mask) noexcept {
  uint32_t found = 0;
  for (uint32_t k = 0; k < WRIT_PII_KIND_COUNT; ++k) {
    if ((mask >> k & 1) && writ_pii_contains_kind(s, size, k)) found |= uint32_t{1} << k;
  }
  return found;
}

writ_std_status writ_pii_find(const char* s, size_t size, uint32_t mask, writ_pii_finding* out,
                              size_t capacity, size_t* count) noexcept {
  Front front(Text(s, size), mask);
  size_t total = 0;
  for (int k = front.First(); k >= 0; k = front.First()) {
    if (total < capacity) {
      out[total] = {static_cast<uint32_t>(k), 0, front.next(k).begin, front.next(k).end};
    }
    ++total;
    front.Advance(k);
  }
  *count = total;
  return total > capacity ? WRIT_STD_BUFFER_TOO_SMALL : WRIT_STD_OK;
}

writ_std_status writ_pii_redact(const char* s, size_t size, uint32_t mask, char* out,
                                size_t capacity, size_t* out_size) noexcept {
  const std::string_view text = Text(s, size);
  Front front(text, mask);
  size_t n = 0;
  auto write = [&](const char* data, size_t len) {
    if (len > 0 && n <= capacity && len <= capacity - n) std::memcpy(out + n, data, len);
    n += len;
  };
  size_t pos = 0;
  for (int k = front.First(); k >= 0; k = front.First()) {
    const size_t begin = front.next(k).begin;
    size_t end = front.next(k).end;
    front.Advance(k);
    // Absorb every finding that overlaps the range, of any kind, until none does.
    for (int other = front.BeginningBefore(end); other >= 0; other = front.BeginningBefore(end)) {
      if (front.next(other).end > end) end = front.next(other).end;
      front.Advance(other);
    }
    write(text.data() + pos, begin - pos);
    const char* name = writ::stdlib::kKindNames[k];
    write("[", 1);
    write(name, std::strlen(name));
    write("]", 1);
    pos = end;
  }
  write(text.data() + pos, size - pos);
  *out_size = n;
  return n > capacity ? WRIT_STD_BUFFER_TOO_SMALL : WRIT_STD_OK;
}

size_t writ_pii_redact_bound(size_t size) noexcept {
  // A finding is never shorter than half its bracketed name: the shortest, "::1", becomes
  // "[ipv6]".
  return size > (SIZE_MAX - 16) / 2 ? SIZE_MAX : 2 * size + 16;
}

}  // extern "C"
