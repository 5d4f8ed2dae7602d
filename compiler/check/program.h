// The checked program (placeholder until the checker defines it).
#ifndef WRIT_COMPILER_CHECK_PROGRAM_H_
#define WRIT_COMPILER_CHECK_PROGRAM_H_
namespace writ::check {
class Program {};
}  // namespace writ::check
#endif  // WRIT_COMPILER_CHECK_PROGRAM_H_
