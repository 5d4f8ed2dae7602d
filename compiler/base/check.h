// Broken invariants abort with a message (error channel 3 of STYLE.md); they are never used for
// bad input, which always gets a diagnostic or a Status.
#ifndef WRIT_COMPILER_BASE_CHECK_H_
#define WRIT_COMPILER_BASE_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define WRIT_CHECK(cond)                                                                   \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);   \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)

#endif  // WRIT_COMPILER_BASE_CHECK_H_
