// The differential generator (docs/testing.md, "Differential testing"): random, type-directed
// Writ policies and requests that check and decode against them, reproducible from a seed. The
// JIT and the interpreter must decide every generated request alike.
#ifndef WRIT_TESTS_DIFF_GENERATOR_H_
#define WRIT_TESTS_DIFF_GENERATOR_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace writ::diff {

// The types the generator builds values and expressions of.
enum class Ty {
  kBool, kInt, kMoney, kString, kDuration, kTimestamp, kLevel, kUser, kStrings, kInts, kUsers
};

struct Param {
  std::string name;
  Ty type;
  bool optional = false;
};

struct Tool {
  std::string name;
  std::vector<Param> params;
  bool has_result = false;  // -> { rows: int, body: string, note?: string }
};

// A generated policy: its fixed schema header, its tools and declarations (one text each, so
// that a failure can be shrunk declaration by declaration), and the ids of the declarations
// whose counters a request may carry.
struct Policy {
  std::vector<Tool> tools;
  std::vector<std::string> decls;
  std::vector<std::string> spend_limits;  // labels of `limit spend` declarations
  std::vector<std::string> rates;         // labels of `rate` declarations, windows of 1m
  std::string Text() const;
};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  // A policy of 1-4 tools and 1-10 declarations that checks clean.
  Policy MakePolicy();
  // A request (JSON text) for one of the policy's tools that decodes against it.
  std::string MakeRequest(const Policy& policy);

 private:
  // What an expression may read where it is generated.
  struct Scope {
    const Tool* tool = nullptr;  // args of this tool; null under a wildcard or in a bound
    bool bot = false;            // the principal is a Bot: `acts_for` is readable
    bool result = false;         // a result rule
    bool session = true;
    std::vector<std::pair<std::string, Ty>> variables;  // of enclosing quantifiers
  };

  uint64_t Below(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool Chance(int percent) { return static_cast<int>(Below(100)) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) { return items[Below(items.size())]; }

  std::string Rule(const Policy& policy, size_t index);
  std::string Declaration(Policy& policy, size_t index);
  std::string Expr(Ty type, int depth, Scope& scope, bool* constant = nullptr);
  std::string Bool(int depth, Scope& scope);
  std::string Compare(int depth, Scope& scope);
  std::string Leaf(Ty type, Scope& scope, bool avoid_literal, bool* literal);
  std::string Literal(Ty type);
  nlohmann::ordered_json Value(Ty type);
  nlohmann::ordered_json Session();

  std::mt19937_64 rng_;
  int next_variable_ = 0;
};

}  // namespace writ::diff

#endif  // WRIT_TESTS_DIFF_GENERATOR_H_
