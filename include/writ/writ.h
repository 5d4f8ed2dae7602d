/* Writ's stable C ABI (docs/embedding.md): compile policies, decide requests and read the
 * decisions, and drive the session runtime, from any language that can call C.
 *
 * Conventions, the same for every function:
 * - Every function returns a writ_status (WRIT_OK is 0) and never throws, aborts or crashes
 *   on bad arguments: a null pointer, a freed handle (detected where it can be), malformed or
 *   oversized input each give a status, and writ_last_error() says why.
 * - Results come back through out-parameters, which are written only on WRIT_OK.
 * - Strings go in as pointer and length (not NUL-terminated; a null pointer with length 0 is
 *   the empty string) or, where named `_z`, as NUL-terminated UTF-8. Strings that come out are
 *   NUL-terminated UTF-8 owned by the handle they were read from, valid until that handle is
 *   freed or, for writ_last_error, until the thread's next call.
 * - Handles are opaque. Each is created by one function and freed by its writ_*_free, which
 *   accepts null. Thread safety is stated per handle type below.
 *
 * Versioning: WRIT_ABI_VERSION changes only when an existing declaration changes meaning;
 * additions keep it. writ_abi_version() returns the version the library implements, so a
 * program can check at run time that it loaded the library it was compiled against. */
#ifndef WRIT_WRIT_H_
#define WRIT_WRIT_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define WRIT_NOEXCEPT noexcept
extern "C" {
#else
#define WRIT_NOEXCEPT
#endif

#define WRIT_ABI_VERSION 1

/* ---- Status and errors ------------------------------------------------------------------ */

typedef enum writ_status {
  WRIT_OK = 0,
  WRIT_INVALID_ARGUMENT = 1,    /* a null or freed handle, a bad value, malformed input */
  WRIT_POLICY_ERROR = 2,        /* the policies have errors (the message holds the diagnostics) */
  WRIT_NOT_FOUND = 3,           /* no such session, step, checkpoint or file */
  WRIT_ALREADY_EXISTS = 4,      /* a session id used twice */
  WRIT_FAILED_PRECONDITION = 5, /* the session ended, the step is not in the state asked for */
  WRIT_RESOURCE_EXHAUSTED = 6,  /* a limit was exceeded, or the disk is full */
  WRIT_UNAVAILABLE = 7,         /* the store is locked by another process */
  WRIT_DATA_LOSS = 8,           /* the store is corrupt or its audit log was edited */
  WRIT_PERMISSION_DENIED = 9,   /* a lease was revoked */
  WRIT_UNAUTHENTICATED = 10,    /* a signature or a sealed secret does not verify */
  WRIT_INTERNAL = 11            /* a bug in Writ */
} writ_status;

/* The message of the calling thread's last failed call ("" after a success). Owned by the
 * library; valid until this thread's next call into it. Never null. */
const char* writ_last_error(void) WRIT_NOEXCEPT;

/* "ok", "invalid_argument", ...: the name of a status. Never null. */
const char* writ_status_name(writ_status status) WRIT_NOEXCEPT;

/* WRIT_ABI_VERSION as the library was built. */
int writ_abi_version(void) WRIT_NOEXCEPT;

/* ---- Policies ---------------------------------------------------------------------------- */

/* A compiled policy and its evaluator. Immutable once made: any number of threads may decide
 * with one policy at the same time. */
typedef struct writ_policy writ_policy;

typedef enum writ_engine {
  WRIT_ENGINE_JIT = 0,   /* native code through LLVM (the default); falls back to the
                          * interpreter, with a warning, for what it cannot compile */
  WRIT_ENGINE_INTERP = 1 /* the reference interpreter */
} writ_engine;

typedef struct writ_source {
  const char* name; /* the file name diagnostics show, NUL-terminated */
  const char* text;
  size_t text_len;
} writ_source;

/* Compiles `count` in-memory sources into one policy. WRIT_POLICY_ERROR when they have errors:
 * writ_last_error() then holds the diagnostics, rendered as text with their locations. */
writ_status writ_policy_compile(const writ_source* sources, size_t count, writ_engine engine,
                                writ_policy** out) WRIT_NOEXCEPT;

/* Compiles the `.writ` files under `paths` (files or folders, NUL-terminated), as
 * `writ check` finds them. WRIT_NOT_FOUND for a path that does not exist. */
writ_status writ_policy_load(const char* const* paths, size_t count, writ_engine engine,
                             writ_policy** out) WRIT_NOEXCEPT;

void writ_policy_free(writ_policy* policy) WRIT_NOEXCEPT;

/* The engine that decides: WRIT_ENGINE_INTERP also for a JIT policy that fell back. */
writ_status writ_policy_engine(const writ_policy* policy, writ_engine* out) WRIT_NOEXCEPT;

/* The warnings of loading it (why the JIT fell back), one per line; "" when none. */
writ_status writ_policy_warnings(const writ_policy* policy, const char** out) WRIT_NOEXCEPT;

/* ---- Decisions ------------------------------------------------------------------------- */

/* One decision. Owned by the caller; read it from one thread at a time. */
typedef struct writ_decision writ_decision;

typedef enum writ_effect {
  WRIT_EFFECT_ALLOW = 0,
  WRIT_EFFECT_DENY = 1,
  WRIT_EFFECT_APPROVAL_REQUIRED = 2
} writ_effect;

/* Decides the request in `json` (docs/requests.md). A request that does not decode is not an
 * error: it is a deny whose decision lists the problems with their JSON paths. Errors are
 * only for bad arguments (a null policy or out). Thread-safe on one policy. */
writ_status writ_decide_json(const writ_policy* policy, const char* json, size_t json_len,
                             writ_decision** out) WRIT_NOEXCEPT;

/* As writ_decide_json, with `now_ms` (ms since the epoch) as `session.now` for a request that
 * gives none, instead of the system clock: for replaying recorded requests and for tests. */
writ_status writ_decide_json_at(const writ_policy* policy, const char* json, size_t json_len,
                                int64_t now_ms, writ_decision** out) WRIT_NOEXCEPT;

void writ_decision_free(writ_decision* decision) WRIT_NOEXCEPT;

writ_status writ_decision_effect(const writ_decision* decision, writ_effect* out) WRIT_NOEXCEPT;

/* The whole decision as the JSON document of docs/requests.md, on one line. */
writ_status writ_decision_json(const writ_decision* decision, const char** out,
                               size_t* out_len) WRIT_NOEXCEPT;

/* How many reasons the decision has, and the i-th (0-based): the declaration's label (empty
 * for the default deny), its kind ("permit", "forbid", "limit", ...) and its message.
 * WRIT_INVALID_ARGUMENT for an index out of range. */
writ_status writ_decision_reason_count(const writ_decision* decision, size_t* out) WRIT_NOEXCEPT;
writ_status writ_decision_reason(const writ_decision* decision, size_t index, const char** rule,
                                 const char** kind, const char** message) WRIT_NOEXCEPT;

/* The obligations (grants, charges, redactions, warnings) as a JSON object. */
writ_status writ_decision_obligations_json(const writ_decision* decision,
                                           const char** out) WRIT_NOEXCEPT;

/* ---- The session runtime ---------------------------------------------------------------- */

/* A session runtime over one policy and one SQLite store (docs/runtime.md). Thread-safe: any
 * number of threads may call it at once; the store serializes transactions and group commit
 * shares their flushes. The policy must outlive it. */
typedef struct writ_runtime writ_runtime;

typedef struct writ_runtime_options {
  /* The audit trail's tree-head signing key and the leases' signing key, as the 128 hex digits
   * `writ run --audit-key` writes (NUL-terminated), or null for a key made at open. */
  const char* audit_key_hex;
  const char* lease_key_hex;
  /* Keep SHA-256 digests of tool arguments and results in the audit trail, not payloads. */
  int digest_payloads;
  /* 0: durable commits (synchronous=FULL with group commit); 1: NORMAL. */
  int relaxed_durability;
} writ_runtime_options;

/* Opens (creating if needed) the store at `db_path` and a runtime over `policy`. `options`
 * may be null for the defaults. */
writ_status writ_runtime_open(const writ_policy* policy, const char* db_path,
                              const writ_runtime_options* options,
                              writ_runtime** out) WRIT_NOEXCEPT;

void writ_runtime_free(writ_runtime* runtime) WRIT_NOEXCEPT;

/* Starts a session of agent `agent_type` (qualified, "procurement.ProcurementBot") with id
 * `agent_id` on `task`; `entities_json` is the session's world (docs/requests.md) and must
 * hold the agent. `*spawned` is 1 when it started, 0 when a full pool refused or queued it
 * (then `*reason`, owned by the runtime until the thread's next call, says why). */
writ_status writ_spawn(writ_runtime* runtime, const char* session_z, const char* agent_type_z,
                       const char* agent_id_z, const char* task_z, const char* entities_json,
                       size_t entities_len, int* spawned, const char** reason) WRIT_NOEXCEPT;

/* The outcome of a step (docs/runtime.md): Authorize, Approve, Reject, Complete and Fail
 * return one. Owned by the caller. */
typedef struct writ_step writ_step;

typedef enum writ_step_state {
  WRIT_STEP_DENIED = 0,
  WRIT_STEP_PENDING = 1,   /* waits for approval */
  WRIT_STEP_ALLOWED = 2,   /* the call may run: reservations held */
  WRIT_STEP_COMPLETED = 3,
  WRIT_STEP_FAILED = 4
} writ_step_state;

/* Decides the tool call `tool` with arguments `args_json` (a JSON object) as step `step` of
 * the session, and reserves what it consumes when allowed. A step id seen before returns the
 * recorded outcome (replayed) without deciding or charging again. */
writ_status writ_authorize(writ_runtime* runtime, const char* session_z, const char* step_z,
                           const char* tool_z, const char* args_json, size_t args_len,
                           writ_step** out) WRIT_NOEXCEPT;
/* The call of an allowed step returned `result_json` (may be empty) and used `tokens`. */
writ_status writ_complete(writ_runtime* runtime, const char* session_z, const char* step_z,
                          const char* result_json, size_t result_len, int64_t tokens,
                          writ_step** out) WRIT_NOEXCEPT;
/* The call of an allowed step failed: its reservations are released. */
writ_status writ_fail(writ_runtime* runtime, const char* session_z, const char* step_z,
                      writ_step** out) WRIT_NOEXCEPT;
/* Approves or rejects a step that waits for approval, as `by`. */
writ_status writ_approve(writ_runtime* runtime, const char* session_z, const char* step_z,
                         const char* by_z, writ_step** out) WRIT_NOEXCEPT;
writ_status writ_reject(writ_runtime* runtime, const char* session_z, const char* step_z,
                        const char* by_z, writ_step** out) WRIT_NOEXCEPT;

void writ_step_free(writ_step* step) WRIT_NOEXCEPT;

writ_status writ_step_state_of(const writ_step* step, writ_step_state* out) WRIT_NOEXCEPT;
writ_status writ_step_effect(const writ_step* step, writ_effect* out) WRIT_NOEXCEPT;
/* 1 when the step id was seen before and nothing happened now. */
writ_status writ_step_replayed(const writ_step* step, int* out) WRIT_NOEXCEPT;
/* 1 when this decision ended the session (a `then terminate` budget). */
writ_status writ_step_session_ended(const writ_step* step, int* out) WRIT_NOEXCEPT;
/* The call-phase decision, and after completion the result-phase one ("" before), as JSON. */
writ_status writ_step_decision_json(const writ_step* step, const char** out) WRIT_NOEXCEPT;
writ_status writ_step_result_json(const writ_step* step, const char** out) WRIT_NOEXCEPT;
/* The leases an allowed step's grants minted: how many, and the i-th's token and credential
 * name. A token is verified with writ_lease_verify and the runtime's lease public key. */
writ_status writ_step_lease_count(const writ_step* step, size_t* out) WRIT_NOEXCEPT;
writ_status writ_step_lease(const writ_step* step, size_t index, const char** token,
                            const char** credential) WRIT_NOEXCEPT;

/* Stores `state` (opaque bytes) as the session's next checkpoint; its version in `*version`. */
writ_status writ_checkpoint(writ_runtime* runtime, const char* session_z, const void* state,
                            size_t state_len, int64_t* version) WRIT_NOEXCEPT;

/* Reads the latest checkpoint (`version` 0) or the given one. `*state` (`*state_len` bytes)
 * is owned by the runtime until the thread's next call; `*position` is how many steps had been
 * recorded when it was taken. */
writ_status writ_resume(writ_runtime* runtime, const char* session_z, int64_t version,
                        const void** state, size_t* state_len, int64_t* position) WRIT_NOEXCEPT;

/* Ends the session: allowed steps release their reservations, pending ones are denied, its
 * leases are revoked. `*report` (JSON, owned by the runtime until the thread's next call) is
 * the terminal report; ending an ended session returns its report again. */
writ_status writ_terminate(writ_runtime* runtime, const char* session_z, const char* reason_z,
                           const char** report) WRIT_NOEXCEPT;

/* The runtime's public keys (32 bytes each) of tree heads and of leases. */
writ_status writ_runtime_audit_public_key(const writ_runtime* runtime,
                                          uint8_t out[32]) WRIT_NOEXCEPT;
writ_status writ_runtime_lease_public_key(const writ_runtime* runtime,
                                          uint8_t out[32]) WRIT_NOEXCEPT;

/* Verifies a lease token against the runtime's store: its keys, expiry and revocations.
 * WRIT_OK with `*valid` 1, or 0 and writ_last_error() saying why (malformed, bad signature,
 * expired, not yet valid, revoked). */
writ_status writ_runtime_verify_lease(writ_runtime* runtime, const char* token, size_t token_len,
                                      int* valid) WRIT_NOEXCEPT;

/* Verifies the store's whole audit log against its signed tree heads and the store's keys
 * (docs/audit.md). WRIT_OK with `*ok` 1, or 0 with `*position` the first bad event and
 * writ_last_error() what happened there. */
writ_status writ_runtime_verify_audit(writ_runtime* runtime, int* ok,
                                      uint64_t* position) WRIT_NOEXCEPT;

/* ---- Offline lease verification ------------------------------------------------------------ */

/* The codes of writ_lease_verify (docs/credentials.md, "Verification from C"). */
enum {
  WRIT_LEASE_OK = 0,
  WRIT_LEASE_INVALID_ARGUMENT = 1,
  WRIT_LEASE_MALFORMED = 2,
  WRIT_LEASE_BAD_SIGNATURE = 3,
  WRIT_LEASE_EXPIRED = 4,
  WRIT_LEASE_NOT_YET_VALID = 5,
  WRIT_LEASE_INTERNAL = 6
};

/* Verifies a token with only the 32-byte public key, at `now_ms` (ms since the epoch): what a
 * downstream service does. Writes a NUL-terminated message to `error_buf` (truncated to
 * `error_buf_len`) unless it is null. Returns a WRIT_LEASE_* code. */
int writ_lease_verify(const char* token, size_t token_len, const uint8_t public_key[32],
                      int64_t now_ms, char* error_buf, size_t error_buf_len) WRIT_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* WRIT_WRIT_H_ */
