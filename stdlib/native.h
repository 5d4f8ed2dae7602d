/* The native implementations of the standard library: one C ABI that both evaluators (the
 * reference interpreter and the JIT-compiled code) call, so that a policy decides identically
 * on both. docs/stdlib.md documents every function, its cost bound and the ownership rules.
 *
 * Conventions, for every function below:
 * - Pure and total: the result depends on the arguments only, any bytes are accepted
 *   (invalid UTF-8 included), nothing throws, nothing is kept between calls.
 * - Strings are (const char* data, size_t size); data may be NULL when size is 0. Nothing
 *   needs a terminating NUL, and embedded NULs are ordinary bytes.
 * - Money is int64 units of 10^-4 plus a currency packed by WRIT_CURRENCY; durations and
 *   timestamps are int64 milliseconds, timestamps since the Unix epoch in UTC.
 * - A function that can fail returns a writ_std_status and writes its result through an
 *   out-parameter, which it leaves untouched on failure unless stated otherwise.
 * - Output memory always belongs to the caller; no function allocates memory that outlives
 *   the call, and only writ_regex_compile allocates at all (the returned handle). */
#ifndef WRIT_STDLIB_NATIVE_H_
#define WRIT_STDLIB_NATIVE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define WRIT_STD_NOEXCEPT noexcept
extern "C" {
#else
#define WRIT_STD_NOEXCEPT
#endif

/* ---- status codes ---------------------------------------------------------------------- */

typedef int32_t writ_std_status;

#define WRIT_STD_OK 0
#define WRIT_STD_OVERFLOW 1              /* an exact result does not fit in int64 */
#define WRIT_STD_CURRENCY_MISMATCH 2     /* two amounts of money in different currencies */
#define WRIT_STD_DIVISION_BY_ZERO 3
#define WRIT_STD_OUT_OF_RANGE 4          /* a timestamp whose result is not representable */
#define WRIT_STD_INVALID_ARGUMENT 5      /* e.g. a currency that is not three capitals */
#define WRIT_STD_BUFFER_TOO_SMALL 6      /* the required sizes were written; call again */
#define WRIT_STD_INVALID_PATTERN 7       /* a regular expression that does not compile */
#define WRIT_STD_RESOURCE_EXHAUSTED 8    /* memory could not be obtained */

/* A static, human-readable description of `status` ("unknown status" for other values). */
const char* writ_std_status_message(writ_std_status status) WRIT_STD_NOEXCEPT;

/* A borrowed string: points into the caller's input or into a caller-provided arena. */
typedef struct writ_std_string {
  const char* data;
  size_t size;
} writ_std_string;

/* Caller-owned scratch memory that a function appends to: it writes at data + used and
 * advances used. Nothing in it is freed or reused by the library. */
typedef struct writ_std_arena {
  char* data;
  size_t capacity;
  size_t used;
} writ_std_arena;

/* A byte range [begin, end) of an input string. */
typedef struct writ_std_span {
  size_t begin;
  size_t end;
} writ_std_span;

/* ---- std.text ---------------------------------------------------------------------------- */

/* The number of code points of `s`; each byte that is not part of a well-formed UTF-8
 * sequence counts as one. O(n). */
int64_t writ_text_length(const char* s, size_t size) WRIT_STD_NOEXCEPT;

/* `s` in lower (upper) case, written to out[0, size): the simple case mappings of ASCII,
 * Latin-1, Latin Extended-A, Greek and Cyrillic that keep the UTF-8 length; every other code
 * point and every invalid byte is copied unchanged, so the result always has `size` bytes.
 * `out` may equal `s`. O(n). */
void writ_text_lower(const char* s, size_t size, char* out) WRIT_STD_NOEXCEPT;
void writ_text_upper(const char* s, size_t size, char* out) WRIT_STD_NOEXCEPT;

/* Substring and affix tests on bytes. contains is O(n + m) (two-way search). */
bool writ_text_contains(const char* s, size_t size, const char* part,
                        size_t part_size) WRIT_STD_NOEXCEPT;
bool writ_text_starts_with(const char* s, size_t size, const char* prefix,
                           size_t prefix_size) WRIT_STD_NOEXCEPT;
bool writ_text_ends_with(const char* s, size_t size, const char* suffix,
                         size_t suffix_size) WRIT_STD_NOEXCEPT;

/* Whether the whole of `s` matches the glob: `*` matches any run of code points, `?` exactly
 * one, any other code point itself (an invalid byte matches the same byte). The semantics of
 * the `like` operator. O(n * m) worst case, no backtracking beyond the last `*`. */
bool writ_text_glob(const char* s, size_t size, const char* glob,
                    size_t glob_size) WRIT_STD_NOEXCEPT;

/* The distinct parts of `s` between occurrences of `separator` (empty parts included; an
 * empty separator gives `s` itself), as spans into `s`, sorted bytewise. At most
 * size + 1 parts exist. If `capacity` is too small, returns WRIT_STD_BUFFER_TOO_SMALL with
 * *count set to a sufficient capacity. O(n + k log k) for k parts. */
writ_std_status writ_text_split(const char* s, size_t size, const char* separator,
                                size_t separator_size, writ_std_string* items, size_t capacity,
                                size_t* count) WRIT_STD_NOEXCEPT;

/* A compiled RE2 regular expression: compiled once when a policy is loaded, shared read-only
 * by any number of threads, freed with writ_regex_free. */
typedef struct writ_regex writ_regex;

/* Compiles `pattern` (RE2 syntax, UTF-8, the checker's options). On success *out is the
 * handle. On WRIT_STD_INVALID_PATTERN, *out is NULL and, if error_capacity > 0, RE2's message
 * is written to `error` (truncated, NUL-terminated). RE2 bounds its memory per pattern. */
writ_std_status writ_regex_compile(const char* pattern, size_t size, writ_regex** out,
                                   char* error, size_t error_capacity) WRIT_STD_NOEXCEPT;

/* Whether the expression matches somewhere in `s` (unanchored). O(n * m), no backtracking.
 * WRIT_STD_INVALID_ARGUMENT for a NULL handle, WRIT_STD_RESOURCE_EXHAUSTED if RE2 fails. */
writ_std_status writ_regex_matches(const writ_regex* regex, const char* s, size_t size,
                                   bool* out) WRIT_STD_NOEXCEPT;

/* Frees a handle from writ_regex_compile; NULL is ignored. */
void writ_regex_free(writ_regex* regex) WRIT_STD_NOEXCEPT;

/* ---- std.pii ----------------------------------------------------------------------------- */

/* The detectors, numbered as the members of the `Kind` enum of std.pii. */
#define WRIT_PII_EMAIL 0
#define WRIT_PII_PHONE 1
#define WRIT_PII_US_SSN 2
#define WRIT_PII_CARD 3
#define WRIT_PII_IBAN 4
#define WRIT_PII_IPV4 5
#define WRIT_PII_IPV6 6
#define WRIT_PII_SECRET 7
#define WRIT_PII_AWS_KEY 8
#define WRIT_PII_GITHUB_TOKEN 9
#define WRIT_PII_GITLAB_TOKEN 10
#define WRIT_PII_SLACK_TOKEN 11
#define WRIT_PII_PRIVATE_KEY 12
#define WRIT_PII_JWT 13
#define WRIT_PII_KIND_COUNT 14
/* A set of kinds is a bitmask: bit k stands for kind k. */
#define WRIT_PII_ALL ((UINT32_C(1) << WRIT_PII_KIND_COUNT) - 1)

/* One finding: a detector and the bytes [begin, end) of the input it matched. */
typedef struct writ_pii_finding {
  uint32_t kind;
  uint32_t reserved; /* zero */
  size_t begin;
  size_t end;
} writ_pii_finding;

/* The name of a kind ("email", "us_ssn"), NUL-terminated and static; NULL if out of range. */
const char* writ_pii_kind_name(uint32_t kind) WRIT_STD_NOEXCEPT;

/* Whether any detector (the detector `kind`) finds something; false for an unknown kind.
 * Every detector is O(n) in the input length. */
bool writ_pii_contains(const char* s, size_t size) WRIT_STD_NOEXCEPT;
bool writ_pii_contains_kind(const char* s, size_t size, uint32_t kind) WRIT_STD_NOEXCEPT;

/* The kinds among `mask` whose detector finds something, as a bitmask. */
uint32_t writ_pii_kinds(const char* s, size_t size, uint32_t mask) WRIT_STD_NOEXCEPT;

/* Every finding of the kinds in `mask`, ordered by begin (ties as for redact). Findings of one
 * kind do not overlap; findings of different kinds may (a token assigned to `token=` is also a
 * secret). Writes up to `capacity` findings; *count is the total number, and the status is
 * WRIT_STD_BUFFER_TOO_SMALL when it exceeds capacity (capacity 0 just counts). */
writ_std_status writ_pii_find(const char* s, size_t size, uint32_t mask, writ_pii_finding* out,
                              size_t capacity, size_t* count) WRIT_STD_NOEXCEPT;

/* `s` with every finding of the kinds in `mask` replaced by its kind in brackets ("[email]").
 * Overlapping findings are merged into one replaced range, named after the finding that
 * starts first (on a tie the longer one, then any kind before `secret`, then the lower kind),
 * so no detected byte survives.
 * *out_size is the size of the result; if it exceeds `capacity`, nothing useful is in `out`
 * and the status is WRIT_STD_BUFFER_TOO_SMALL. writ_pii_redact_bound(size) bytes always
 * suffice. `out` must not overlap `s`. O(n). */
writ_std_status writ_pii_redact(const char* s, size_t size, uint32_t mask, char* out,
                                size_t capacity, size_t* out_size) WRIT_STD_NOEXCEPT;
size_t writ_pii_redact_bound(size_t size) WRIT_STD_NOEXCEPT;

/* ---- std.sql ----------------------------------------------------------------------------- */

/* The dialects whose lexical rules a classification considers. With several, the text is
 * classified under each (MySQL counts with and without ANSI_QUOTES and
 * NO_BACKSLASH_ESCAPES) and the answers are combined to the cautious side: a flag is set if
 * any reading sets it, and READ only if every reading is a read. */
#define WRIT_SQL_POSTGRESQL UINT32_C(1)
#define WRIT_SQL_MYSQL UINT32_C(2)
#define WRIT_SQL_SQLITE UINT32_C(4)
#define WRIT_SQL_ALL_DIALECTS UINT32_C(7)

/* The classification flags. */
#define WRIT_SQL_DDL UINT32_C(1)              /* CREATE, ALTER, DROP, TRUNCATE, GRANT, ... */
#define WRIT_SQL_WRITE UINT32_C(2)            /* INSERT, UPDATE, DELETE, MERGE, ... */
#define WRIT_SQL_READ UINT32_C(4)             /* at least one statement, and all only read */
#define WRIT_SQL_TRANSACTION UINT32_C(8)      /* BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ... */
#define WRIT_SQL_MULTI_STATEMENT UINT32_C(16) /* more than one non-empty statement */
#define WRIT_SQL_UNBOUNDED_WRITE UINT32_C(32) /* UPDATE/DELETE without (or with a trivially
                                                 true) WHERE, or TRUNCATE */
#define WRIT_SQL_OTHER UINT32_C(64)           /* a statement of none of the kinds above */

/* The classification flags of `sql` under `dialects` (0 means all). O(n) per reading. */
uint32_t writ_sql_classify(const char* sql, size_t size, uint32_t dialects) WRIT_STD_NOEXCEPT;

/* The std.sql functions: writ_sql_classify under all dialects, one flag each. */
bool writ_sql_is_ddl(const char* sql, size_t size) WRIT_STD_NOEXCEPT;
bool writ_sql_is_write(const char* sql, size_t size) WRIT_STD_NOEXCEPT;
bool writ_sql_is_read(const char* sql, size_t size) WRIT_STD_NOEXCEPT;
bool writ_sql_is_transaction(const char* sql, size_t size) WRIT_STD_NOEXCEPT;
bool writ_sql_is_multi_statement(const char* sql, size_t size) WRIT_STD_NOEXCEPT;
bool writ_sql_has_unbounded_write(const char* sql, size_t size) WRIT_STD_NOEXCEPT;

/* The distinct names of the tables the statements mention (after FROM, JOIN, INTO, UPDATE,
 * TABLE, USING, ON of GRANT and CREATE INDEX, REFERENCES, ...), sorted bytewise. Unquoted
 * identifiers are folded to ASCII lower case, quoted ones kept as written (unescaped), parts
 * joined by '.'; a qualified name also yields its last part. Names of common table
 * expressions are left out. The strings are written to `arena`. If `arena` or `capacity` is
 * too small, returns WRIT_STD_BUFFER_TOO_SMALL with *count and arena->used set to sufficient
 * sizes (as if everything had fit); writ_sql_tables_bound gives sizes that always suffice. */
writ_std_status writ_sql_tables(const char* sql, size_t size, uint32_t dialects,
                                writ_std_arena* arena, writ_std_string* items, size_t capacity,
                                size_t* count) WRIT_STD_NOEXCEPT;
void writ_sql_tables_bound(size_t size, size_t* arena_bytes, size_t* items) WRIT_STD_NOEXCEPT;

/* The non-empty statements of `sql` under the single dialect `dialect` (one of
 * WRIT_SQL_POSTGRESQL, WRIT_SQL_MYSQL, WRIT_SQL_SQLITE; MySQL with its default modes), as
 * spans without the separating ';'. Same capacity protocol as writ_pii_find. O(n). */
writ_std_status writ_sql_split(const char* sql, size_t size, uint32_t dialect,
                               writ_std_span* out, size_t capacity,
                               size_t* count) WRIT_STD_NOEXCEPT;

/* ---- std.money --------------------------------------------------------------------------- */

/* A currency code packed into an integer: WRIT_CURRENCY('U', 'S', 'D'). Valid codes are three
 * ASCII capitals. */
#define WRIT_CURRENCY(a, b, c) \
  ((uint32_t)(uint8_t)(a) | ((uint32_t)(uint8_t)(b) << 8) | ((uint32_t)(uint8_t)(c) << 16))

/* The packed code of the three capitals in `code`, or 0 when it is not three capitals. */
uint32_t writ_money_currency_code(const char* code, size_t size) WRIT_STD_NOEXCEPT;

/* std.money.currency: writes the three letters of `currency` to out[0..2] (no NUL).
 * WRIT_STD_INVALID_ARGUMENT if `currency` is not a valid packed code. */
writ_std_status writ_money_currency(uint32_t currency, char out[3]) WRIT_STD_NOEXCEPT;

/* std.money.min, max: the smaller (larger) of two amounts in the same currency, which the
 * result keeps. WRIT_STD_CURRENCY_MISMATCH if the currencies differ. */
writ_std_status writ_money_min(int64_t a, uint32_t a_currency, int64_t b, uint32_t b_currency,
                               int64_t* out) WRIT_STD_NOEXCEPT;
writ_std_status writ_money_max(int64_t a, uint32_t a_currency, int64_t b, uint32_t b_currency,
                               int64_t* out) WRIT_STD_NOEXCEPT;

/* std.money.abs: WRIT_STD_OVERFLOW for the one amount without a positive counterpart. */
writ_std_status writ_money_abs(int64_t amount, int64_t* out) WRIT_STD_NOEXCEPT;

/* The money operators of the language, for both evaluators: exact, never wrapping.
 * add and sub fail with WRIT_STD_CURRENCY_MISMATCH or WRIT_STD_OVERFLOW; mul multiplies by an
 * int; div divides by an int truncating toward zero (to 4 decimal places), failing with
 * WRIT_STD_DIVISION_BY_ZERO or WRIT_STD_OVERFLOW; compare writes -1, 0 or 1. */
writ_std_status writ_money_add(int64_t a, uint32_t a_currency, int64_t b, uint32_t b_currency,
                               int64_t* out) WRIT_STD_NOEXCEPT;
writ_std_status writ_money_sub(int64_t a, uint32_t a_currency, int64_t b, uint32_t b_currency,
                               int64_t* out) WRIT_STD_NOEXCEPT;
writ_std_status writ_money_mul(int64_t amount, int64_t factor, int64_t* out) WRIT_STD_NOEXCEPT;
writ_std_status writ_money_div(int64_t amount, int64_t divisor, int64_t* out) WRIT_STD_NOEXCEPT;
writ_std_status writ_money_compare(int64_t a, uint32_t a_currency, int64_t b,
                                   uint32_t b_currency, int32_t* out) WRIT_STD_NOEXCEPT;

/* The amount as a Writ literal ("-12.50 USD", "3 EUR", "0.0001 BTC"): at least two decimals
 * when there is a fraction. At most 32 bytes; WRIT_STD_BUFFER_TOO_SMALL (with *size set) if
 * `capacity` is less, WRIT_STD_INVALID_ARGUMENT for an invalid currency. */
writ_std_status writ_money_format(int64_t amount, uint32_t currency, char* out, size_t capacity,
                                  size_t* size) WRIT_STD_NOEXCEPT;

/* ---- std.time ---------------------------------------------------------------------------- */

/* Calendar fields of a timestamp in UTC on the proleptic Gregorian calendar, for every int64
 * (about 292 million years either side of 1970). O(1). */
int64_t writ_time_hour(int64_t t) WRIT_STD_NOEXCEPT;    /* 0 to 23 */
int64_t writ_time_weekday(int64_t t) WRIT_STD_NOEXCEPT; /* Monday 1 to Sunday 7 */
int64_t writ_time_day(int64_t t) WRIT_STD_NOEXCEPT;     /* 1 to 31 */
int64_t writ_time_month(int64_t t) WRIT_STD_NOEXCEPT;   /* 1 to 12 */
int64_t writ_time_year(int64_t t) WRIT_STD_NOEXCEPT;

/* The first millisecond of the UTC day, ISO week (from Monday) and month that contain `t`;
 * WRIT_STD_OUT_OF_RANGE when that instant is below the int64 range. */
writ_std_status writ_time_start_of_day(int64_t t, int64_t* out) WRIT_STD_NOEXCEPT;
writ_std_status writ_time_start_of_week(int64_t t, int64_t* out) WRIT_STD_NOEXCEPT;
writ_std_status writ_time_start_of_month(int64_t t, int64_t* out) WRIT_STD_NOEXCEPT;

/* ---- std.net ----------------------------------------------------------------------------- */

/* Whether `address` lies in the network `cidr` ("10.0.0.0/8", "2001:db8::/32"; a bare address
 * is a network of one). The address is read as getaddrinfo would read a numeric host
 * (IPv4 also as "127.1" or "0x7f.0.0.1", IPv6 optionally in brackets and with a zone); an
 * IPv4-mapped IPv6 address matches IPv4 networks. False if either is malformed. O(n). */
bool writ_net_in_cidr(const char* address, size_t size, const char* cidr,
                      size_t cidr_size) WRIT_STD_NOEXCEPT;

/* Whether `address` (read as above) is private or local: 10/8, 172.16/12, 192.168/16,
 * 127/8, 169.254/16, 0/8, ::, ::1, fe80::/10, fec0::/10, fc00::/7, and IPv4-mapped forms of
 * those. False if malformed. O(n). */
bool writ_net_is_private(const char* address, size_t size) WRIT_STD_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WRIT_STDLIB_NATIVE_H_ */
