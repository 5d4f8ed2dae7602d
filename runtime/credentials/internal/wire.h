// The big-endian, length-prefixed binary forms inside a lease payload and a sealed secret
// (docs/credentials.md). The reader never reads past its input and reports failure instead, so
// callers can decode untrusted bytes and reject anything that is not exactly one encoding.
#ifndef WRIT_RUNTIME_CREDENTIALS_INTERNAL_WIRE_H_
#define WRIT_RUNTIME_CREDENTIALS_INTERNAL_WIRE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace writ::runtime::credentials::internal {

class ByteWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void I64(int64_t v) {
    const uint64_t u = static_cast<uint64_t>(v);
    for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<char>(u >> shift));
  }
  void Raw(std::string_view bytes) { out_.append(bytes); }
  // A u8 length, then the bytes; the caller has checked that they fit (at most 255).
  void ShortString(std::string_view bytes) {
    U8(static_cast<uint8_t>(bytes.size()));
    Raw(bytes);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Each read returns false, and consumes nothing, when the input is too short.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool U8(uint8_t& v) {
    if (in_.empty()) return false;
    v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return true;
  }
  bool I64(int64_t& v) {
    if (in_.size() < 8) return false;
    uint64_t u = 0;
    for (int i = 0; i < 8; ++i) u = (u << 8) | static_cast<uint8_t>(in_[i]);
    v = static_cast<int64_t>(u);
    in_.remove_prefix(8);
    return true;
  }
  bool Raw(size_t n, std::string_view& bytes) {
    if (in_.size() < n) return false;
    bytes = in_.substr(0, n);
    in_.remove_prefix(n);
    return true;
  }
  bool ShortString(std::string_view& bytes) {
    std::string_view rest = in_;
    uint8_t n = 0;
    if (!U8(n) || !Raw(n, bytes)) {
      in_ = rest;
      return false;
    }
    return true;
  }
  std::string_view rest() const { return in_; }
  bool at_end() const { return in_.empty(); }

 private:
  std::string_view in_;
};

}  // namespace writ::runtime::credentials::internal

#endif  // WRIT_RUNTIME_CREDENTIALS_INTERNAL_WIRE_H_
