// The printed form of the decision IR: stable, readable text for golden tests and for
// `writ build --emit-ir`. It is an oracle for people and tests, not a format to parse back.
#ifndef WRIT_COMPILER_IR_PRINT_H_
#define WRIT_COMPILER_IR_PRINT_H_

#include <string>

#include "compiler/ir/policy.h"

namespace writ::ir {

// The whole policy: schema, declarations with their expressions, the per-tool plans and the
// tests, each in id order. The policy must verify; the printer does not re-check it.
std::string Print(const Policy& policy);

// A type as the language spells it: `set<string>`, `{rows: int, note?: string}`, `org.User`,
// `a.Bot|a.Helper` for a union; `?` for an id out of range.
std::string TypeName(const Policy& policy, TypeId type);

// A value as the language writes it: `12.50 USD`, `1h30m`, `org.User::"alice"`,
// `regions.Region.eu`, `timestamp("2026-01-01T00:00:00Z")`, `["a", "b"]`, `{...}` with the
// record's field names when `type` is given (else positional), `absent`.
std::string FormatValue(const Policy& policy, const Value& value, TypeId type = TypeId{});

// `path:line:column`, or `-` for no location.
std::string FormatLoc(const Policy& policy, const Loc& loc);

}  // namespace writ::ir

#endif  // WRIT_COMPILER_IR_PRINT_H_
