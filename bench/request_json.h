// The JSON text (docs/requests.md) of a decoded request, so that the JSON-to-decision benchmark
// decodes exactly the requests that the bound benchmark decides.
#ifndef WRIT_BENCH_REQUEST_JSON_H_
#define WRIT_BENCH_REQUEST_JSON_H_

#include <string>

#include "compiler/ir/policy.h"
#include "runtime/request.h"

namespace writ::bench {

// `request` as the JSON document DecodeRequest reads back into a request that decides alike.
// Counters are written as given, session facts only when set; `session.elapsed`, which a
// test may set but JSON may not, becomes `started_at` before `now` (or before `clock`, the
// evaluator's time, when the request has no `now`).
std::string EncodeRequest(const ir::Policy& policy, const runtime::Request& request,
                          int64_t clock);

}  // namespace writ::bench

#endif  // WRIT_BENCH_REQUEST_JSON_H_
