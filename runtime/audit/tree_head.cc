#include "runtime/audit/tree_head.h"

#include <sodium.h>

#include <algorithm>

#include "compiler/base/status.h"

namespace writ::runtime::audit {
namespace {

constexpr std::string_view kTreeHeadTag = "writ.audit.tree_head.v1";

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

uint64_t GetU64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

// The fields in the order both the message and the stored form use them.
void PutFields(std::string& out, const TreeHead& head) {
  PutU64(out, head.size);
  PutU64(out, static_cast<uint64_t>(head.timestamp));
  out.append(reinterpret_cast<const char*>(head.root.data()), head.root.size());
}

}  // namespace

std::string TreeHeadMessage(const TreeHead& head) {
  std::string out(kTreeHeadTag);
  PutFields(out, head);
  return out;
}

absl::StatusOr<SignedTreeHead> SignTreeHead(const TreeHead& head, const SecretKey& key) {
  WRIT_RETURN_IF_ERROR(EnsureSodium());
  const std::string message = TreeHeadMessage(head);
  SignedTreeHead out{head, {}};
  crypto_sign_detached(out.signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.data());
  return out;
}

absl::Status VerifyTreeHead(const SignedTreeHead& signed_head, const PublicKey& key) {
  WRIT_RETURN_IF_ERROR(EnsureSodium());
  const std::string message = TreeHeadMessage(signed_head.head);
  if (crypto_sign_verify_detached(signed_head.signature.data(),
                                  reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size(), key.data()) != 0) {
    return absl::UnauthenticatedError("tree head: the signature does not verify with this key");
  }
  return absl::OkStatus();
}

std::string EncodeTreeHead(const SignedTreeHead& signed_head) {
  std::string out(1, '\x01');
  PutFields(out, signed_head.head);
  out.append(reinterpret_cast<const char*>(signed_head.signature.data()),
             signed_head.signature.size());
  return out;
}

absl::StatusOr<SignedTreeHead> DecodeTreeHead(std::string_view bytes) {
  if (bytes.size() != kTreeHeadBytes || bytes[0] != '\x01') {
    return absl::DataLossError("tree head: not a version-1 encoding of 113 bytes");
  }
  SignedTreeHead out;
  out.head.size = GetU64(bytes.substr(1));
  out.head.timestamp = static_cast<int64_t>(GetU64(bytes.substr(9)));
  std::copy_n(bytes.begin() + 17, 32, out.head.root.begin());
  std::copy_n(bytes.begin() + 49, 64, out.signature.begin());
  return out;
}

}  // namespace writ::runtime::audit
