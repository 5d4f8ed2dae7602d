// A generated policy set of realistic size for the benchmarks (docs/performance.md): agent
// classes acting for users in a department hierarchy, tools of three shapes (payments, data,
// messages), and permit, forbid and require_approval rules whose conditions read arguments,
// principal and user attributes, constant sets, money bounds and session facts, plus spending
// limits. The same options and seed give the same text and requests on every machine.
#ifndef WRIT_BENCH_RULE_GENERATOR_H_
#define WRIT_BENCH_RULE_GENERATOR_H_

#include <cstdint>
#include <string>
#include <vector>

namespace writ::bench {

struct RuleSetOptions {
  int rules = 1000;   // permit, forbid and require_approval rules (spending limits come on top)
  int agents = 100;   // agent classes
  int tools = 50;
  int requests = 256;  // call requests, for the tools in turn
  uint64_t seed = 1;
};

struct RuleSet {
  std::string source;                 // one file, package `gen`
  std::vector<std::string> requests;  // JSON request texts that decode against it
  int limits = 0;                     // spending limits declared besides the rules
};

// The rule set of `options`, for the ratios the issue names (1,000 rules, 100 agent classes,
// 50 tools) or smaller ones with the same mix. It must check clean; the benchmarks abort if not.
RuleSet GenerateRuleSet(const RuleSetOptions& options);

// Options scaled down from 1,000 rules / 100 agents / 50 tools in proportion to `rules`.
RuleSetOptions ScaledOptions(int rules);

}  // namespace writ::bench

#endif  // WRIT_BENCH_RULE_GENERATOR_H_
