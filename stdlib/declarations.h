// The typed declarations of the standard library modules (std.text, std.pii, std.sql,
// std.money, std.time, std.net): what the checker resolves `alias.name` against. This is a
// table only; the native implementations the evaluators call live apart from it, so the
// checker never depends on them.
#ifndef WRIT_STDLIB_DECLARATIONS_H_
#define WRIT_STDLIB_DECLARATIONS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace writ::stdlib {

// The scalar part of a parameter or result type.
enum class BaseType : uint8_t { kBool, kInt, kMoney, kString, kDuration, kTimestamp, kEnum };

// A parameter or result type: a scalar, a set of one, or an enum declared by the same module
// (named by `enum_name`).
struct TypeSpec {
  BaseType base = BaseType::kBool;
  bool is_set = false;
  std::string_view enum_name = {};
};

// How the work of a call grows, for the compile-time cost bound of a policy.
enum class CostClass : uint8_t {
  kConstant,  // bounded, whatever the input
  kLinear,    // one pass over the text argument
  kPattern,   // text length times pattern length (glob and regular-expression automata)
  kParse,     // tokenizes the text argument (SQL); linear with a large constant
};

// A parameter that takes a pattern, which the evaluators compile once ahead of time: its
// argument must be written as a string constant, and the checker validates it in the pattern's
// language.
enum class Pattern : uint8_t { kNone, kGlob, kRegex };

struct Param {
  std::string_view name;
  TypeSpec type;
  Pattern pattern = Pattern::kNone;
};

struct Function {
  std::string_view module;  // "std.text"
  std::string_view name;    // "length"
  std::vector<Param> params;
  TypeSpec result;
  std::string_view doc;  // one line
  CostClass cost = CostClass::kConstant;
};

struct Enum {
  std::string_view module;
  std::string_view name;
  std::vector<std::string_view> members;
  std::string_view doc;
};

// A named constant of a module; every constant is a member of one of the module's enums
// (the std.pii detectors are the members of `Kind`).
struct Constant {
  std::string_view module;
  std::string_view name;
  std::string_view enum_name;
  std::string_view doc;
};

struct Module {
  std::string_view path;  // "std.sql"
  std::string_view doc;
};

// Every module, function, enum and constant; indexes into these spans are stable ids that the
// checked program and the evaluators share.
std::span<const Module> Modules();
std::span<const Function> Functions();
std::span<const Enum> Enums();
std::span<const Constant> Constants();

// Lookups by module path and name; null or nullopt when there is no such declaration.
const Module* FindModule(std::string_view path);
std::optional<uint32_t> FindFunction(std::string_view module, std::string_view name);
std::optional<uint32_t> FindEnum(std::string_view module, std::string_view name);
std::optional<uint32_t> FindConstant(std::string_view module, std::string_view name);

// Every member name of `module` (functions, enums, constants), for did-you-mean suggestions.
std::vector<std::string_view> MemberNames(std::string_view module);

}  // namespace writ::stdlib

#endif  // WRIT_STDLIB_DECLARATIONS_H_
