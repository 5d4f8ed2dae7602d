#include "runtime/audit/event_encoding.h"

#include <utility>

#include "fmt/format.h"
#include "compiler/base/status.h"

namespace writ::runtime::audit {
namespace {

enum : uint8_t { kTagString = 1, kTagInt = 2, kTagList = 3 };

class Writer {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) U8(static_cast<uint8_t>(v >> shift));
  }
  void U64(uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) U8(static_cast<uint8_t>(v >> shift));
  }
  // A string that would take the encoding past kMaxEventBytes is not copied: the writer only
  // remembers that the event is too large, so a hostile event costs no more than the limit.
  // The check also keeps every length within 32 bits.
  void Bytes(std::string_view s) {
    if (too_large_ || s.size() > kMaxEventBytes - out_.size() ||
        kMaxEventBytes - out_.size() - s.size() < 4) {
      MarkTooLarge();
      return;
    }
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void MarkTooLarge() { too_large_ = true; }
  bool too_large() const { return too_large_ || out_.size() > kMaxEventBytes; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  bool too_large_ = false;
};

// Reads the encoding front to back; every read checks what is left first.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  absl::Status U8(uint8_t& v) {
    WRIT_RETURN_IF_ERROR(Need(1));
    v = static_cast<uint8_t>(in_[pos_++]);
    return absl::OkStatus();
  }
  absl::Status U32(uint32_t& v) {
    WRIT_RETURN_IF_ERROR(Need(4));
    v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
    return absl::OkStatus();
  }
  absl::Status U64(uint64_t& v) {
    WRIT_RETURN_IF_ERROR(Need(8));
    v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
    return absl::OkStatus();
  }
  absl::Status Bytes(std::string& s) {
    uint32_t size = 0;
    WRIT_RETURN_IF_ERROR(U32(size));
    WRIT_RETURN_IF_ERROR(Need(size));
    s.assign(in_.substr(pos_, size));
    pos_ += size;
    return absl::OkStatus();
  }
  absl::Status Error(std::string_view what) const {
    return absl::DataLossError(fmt::format("audit event encoding: {} at byte {}", what, pos_));
  }
  size_t remaining() const { return in_.size() - pos_; }

 private:
  absl::Status Need(size_t n) const {
    if (n > remaining()) return Error("truncated");
    return absl::OkStatus();
  }

  std::string_view in_;
  size_t pos_ = 0;
};

void WriteValue(Writer& w, const FieldValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    w.U8(kTagString);
    w.Bytes(*s);
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    w.U8(kTagInt);
    w.U64(static_cast<uint64_t>(*i));
  } else {
    const auto& list = std::get<std::vector<std::string>>(value);
    w.U8(kTagList);
    if (list.size() > kMaxEventBytes) {
      w.MarkTooLarge();
      return;
    }
    w.U32(static_cast<uint32_t>(list.size()));
    for (const std::string& item : list) w.Bytes(item);
  }
}

absl::Status ReadValue(Reader& r, FieldValue& value) {
  uint8_t tag = 0;
  WRIT_RETURN_IF_ERROR(r.U8(tag));
  switch (tag) {
    case kTagString: {
      std::string s;
      WRIT_RETURN_IF_ERROR(r.Bytes(s));
      value = std::move(s);
      return absl::OkStatus();
    }
    case kTagInt: {
      uint64_t bits = 0;
      WRIT_RETURN_IF_ERROR(r.U64(bits));
      value = static_cast<int64_t>(bits);
      return absl::OkStatus();
    }
    case kTagList: {
      uint32_t count = 0;
      WRIT_RETURN_IF_ERROR(r.U32(count));
      // Each item takes at least its 4-byte length: a count beyond that is a lie, refused
      // before anything is allocated for it.
      if (count > r.remaining() / 4) return r.Error("list longer than the encoding");
      std::vector<std::string> list(count);
      for (std::string& item : list) WRIT_RETURN_IF_ERROR(r.Bytes(item));
      value = std::move(list);
      return absl::OkStatus();
    }
    default:
      return r.Error(fmt::format("unknown field type {}", static_cast<int>(tag)));
  }
}

}  // namespace

absl::StatusOr<std::string> Encode(const AuditEvent& event) {
  WRIT_RETURN_IF_ERROR(Validate(event));
  Writer w;
  w.U8(kEventFormatVersion);
  w.U8(static_cast<uint8_t>(event.kind));
  w.U64(event.seq);
  w.U64(static_cast<uint64_t>(event.at));
  w.Bytes(event.session);
  w.Bytes(event.step);
  if (event.fields.size() > kMaxEventBytes) {
    return absl::InvalidArgumentError("audit event: too many fields");
  }
  w.U32(static_cast<uint32_t>(event.fields.size()));
  for (const Field& field : event.fields) {
    w.Bytes(field.key);
    WriteValue(w, field.value);
    if (w.too_large()) break;
  }
  if (w.too_large()) {
    return absl::InvalidArgumentError(
        fmt::format("audit event: larger than {} bytes", kMaxEventBytes));
  }
  return w.Take();
}

absl::StatusOr<AuditEvent> Decode(std::string_view bytes) {
  Reader r(bytes);
  if (bytes.size() > kMaxEventBytes) return r.Error("larger than the limit");
  uint8_t version = 0;
  WRIT_RETURN_IF_ERROR(r.U8(version));
  if (version != kEventFormatVersion) {
    return r.Error(fmt::format("unknown format version {}", static_cast<int>(version)));
  }
  uint8_t code = 0;
  WRIT_RETURN_IF_ERROR(r.U8(code));
  std::optional<EventKind> kind = EventKindFromCode(code);
  if (!kind) return r.Error(fmt::format("unknown event kind {}", static_cast<int>(code)));
  AuditEvent event;
  event.kind = *kind;
  uint64_t at = 0;
  WRIT_RETURN_IF_ERROR(r.U64(event.seq));
  WRIT_RETURN_IF_ERROR(r.U64(at));
  event.at = static_cast<int64_t>(at);
  WRIT_RETURN_IF_ERROR(r.Bytes(event.session));
  WRIT_RETURN_IF_ERROR(r.Bytes(event.step));
  uint32_t count = 0;
  WRIT_RETURN_IF_ERROR(r.U32(count));
  // A field takes at least 4 (key length) + 1 (type) + 4 bytes.
  if (count > r.remaining() / 9) return r.Error("more fields than the encoding holds");
  event.fields.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Field field;
    WRIT_RETURN_IF_ERROR(r.Bytes(field.key));
    // Encode refuses empty keys (Validate), so no canonical encoding holds one.
    if (field.key.empty()) return r.Error("empty field key");
    if (!event.fields.empty() && !(event.fields.back().key < field.key)) {
      return r.Error(fmt::format("field '{}' out of order or repeated", field.key));
    }
    WRIT_RETURN_IF_ERROR(ReadValue(r, field.value));
    event.fields.push_back(std::move(field));
  }
  if (r.remaining() != 0) return r.Error("trailing bytes");
  return event;
}

}  // namespace writ::runtime::audit
