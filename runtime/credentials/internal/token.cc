#include "runtime/credentials/internal/token.h"

#include "runtime/credentials/internal/codec.h"
#include "runtime/credentials/internal/wire.h"

namespace writ::runtime::credentials::internal {

size_t EncodedPayloadSize(const LeaseClaims& claims) {
  size_t size = kMinPayloadBytes;
  for (const std::string* s : {&claims.session, &claims.agent, &claims.acting_for, &claims.tool,
                               &claims.credential}) {
    size += s->size();
  }
  for (const std::string& scope : claims.scopes) size += 1 + scope.size();
  return size;
}

std::string EncodeLeasePayload(const LeaseClaims& claims) {
  ByteWriter out;
  out.U8(kPayloadVersion);
  out.Raw(*HexDecode(claims.id));
  out.I64(claims.issued_at_ms);
  out.I64(claims.expires_at_ms);
  out.ShortString(claims.session);
  out.ShortString(claims.agent);
  out.ShortString(claims.acting_for);
  out.ShortString(claims.tool);
  out.ShortString(claims.credential);
  out.U8(static_cast<uint8_t>(claims.scopes.size()));
  for (const std::string& scope : claims.scopes) out.ShortString(scope);
  return std::move(out.bytes());
}

std::optional<LeaseClaims> DecodeLeasePayload(std::string_view payload, std::string& error) {
  if (payload.size() > kMaxLeasePayloadBytes) {
    error = "the payload is too long";
    return std::nullopt;
  }
  ByteReader in(payload);
  uint8_t version = 0;
  if (!in.U8(version) || version != kPayloadVersion) {
    error = "unknown payload version";
    return std::nullopt;
  }
  LeaseClaims claims;
  std::string_view id, session, agent, acting_for, tool, credential;
  uint8_t scope_count = 0;
  if (!in.Raw(kLeaseIdBytes, id) || !in.I64(claims.issued_at_ms) ||
      !in.I64(claims.expires_at_ms) || !in.ShortString(session) || !in.ShortString(agent) ||
      !in.ShortString(acting_for) || !in.ShortString(tool) || !in.ShortString(credential) ||
      !in.U8(scope_count)) {
    error = "the payload is truncated";
    return std::nullopt;
  }
  claims.id = HexEncode(id);
  claims.session = session;
  claims.agent = agent;
  claims.acting_for = acting_for;
  claims.tool = tool;
  claims.credential = credential;
  for (uint8_t i = 0; i < scope_count; ++i) {
    std::string_view scope;
    if (!in.ShortString(scope)) {
      error = "the payload is truncated";
      return std::nullopt;
    }
    claims.scopes.emplace_back(scope);
  }
  if (!in.at_end()) {
    error = "trailing bytes after the payload";
    return std::nullopt;
  }
  if (absl::Status valid = ValidateClaims(claims); !valid.ok()) {
    error = std::string(valid.message());
    return std::nullopt;
  }
  return claims;
}

std::string SignedMessage(std::string_view payload) {
  std::string message(kSignatureTag);
  message.append(payload);
  return message;
}

}  // namespace writ::runtime::credentials::internal
