/* Lease verification for services written in C or anything with a C FFI (docs/credentials.md,
 * "Verifying from C"). The function checks the token's format, signature and lifetime offline;
 * revocation needs the runtime's list and is not checked here. It never aborts on bad input:
 * every argument error is a return code. */
#ifndef WRIT_RUNTIME_CREDENTIALS_C_VERIFY_H_
#define WRIT_RUNTIME_CREDENTIALS_C_VERIFY_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define WRIT_LEASE_NOEXCEPT noexcept
extern "C" {
#else
#define WRIT_LEASE_NOEXCEPT
#endif

/* Return codes of writ_lease_verify. They are stable: a code is never renumbered. */
enum {
  WRIT_LEASE_OK = 0,
  WRIT_LEASE_INVALID_ARGUMENT = 1, /* a null token or key, or a null error_buf with a length */
  WRIT_LEASE_MALFORMED = 2,
  WRIT_LEASE_BAD_SIGNATURE = 3,
  WRIT_LEASE_EXPIRED = 4,        /* now_ms >= expires_at */
  WRIT_LEASE_NOT_YET_VALID = 5,  /* issued_at > now_ms + 60 s */
  WRIT_LEASE_INTERNAL = 6        /* libsodium cannot start */
};

/* Verifies the `token_len` bytes at `token` (no terminating NUL needed) against the 32-byte
 * Ed25519 public key at `now_ms` (ms since the epoch). Returns a WRIT_LEASE_* code. Unless
 * `error_buf` is null (with `error_buf_len` 0), writes a NUL-terminated message there,
 * truncated to fit: empty on success, the reason otherwise. */
int writ_lease_verify(const char* token, size_t token_len, const uint8_t public_key[32],
                      int64_t now_ms, char* error_buf,
                      size_t error_buf_len) WRIT_LEASE_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* WRIT_RUNTIME_CREDENTIALS_C_VERIFY_H_ */
