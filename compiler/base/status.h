// Environment failures (I/O, limits of the machine, libraries) travel as absl::Status across
// layer boundaries; these macros keep the early returns short.
#ifndef WRIT_COMPILER_BASE_STATUS_H_
#define WRIT_COMPILER_BASE_STATUS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define WRIT_RETURN_IF_ERROR(expr)          \
  do {                                      \
    ::absl::Status writ_status_ = (expr);   \
    if (!writ_status_.ok()) return writ_status_; \
  } while (0)

#define WRIT_CONCAT_INNER_(a, b) a##b
#define WRIT_CONCAT_(a, b) WRIT_CONCAT_INNER_(a, b)
#define WRIT_ASSIGN_OR_RETURN(lhs, expr) \
  WRIT_ASSIGN_OR_RETURN_IMPL_(WRIT_CONCAT_(writ_statusor_, __LINE__), lhs, expr)
#define WRIT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()

#endif  // WRIT_COMPILER_BASE_STATUS_H_
