#include "runtime/internal/patterns.h"

#include <span>

#include "stdlib/declarations.h"

namespace writ::runtime::internal {

bool IsRegexMatch(uint32_t index) {
  std::span<const stdlib::Function> functions = stdlib::Functions();
  return index < functions.size() && functions[index].module == "std.text" &&
         functions[index].name == "matches";
}

CompiledPatterns::CompiledPatterns(const ir::Policy& policy) {
  for (uint32_t id = 0; id < policy.exprs.size(); ++id) {
    const ir::Expr& call = policy.exprs[id];
    if (call.op != ir::Op::kCall || !IsRegexMatch(call.imm) || call.list.count != 2) continue;
    const ir::Expr& pattern = policy.expr(policy.list(call.list)[1]);
    if (pattern.op != ir::Op::kConst || pattern.imm >= policy.constants.size()) continue;
    const std::string& text = policy.constants[pattern.imm].value.text;
    writ_regex* regex = nullptr;
    if (writ_regex_compile(text.data(), text.size(), &regex, nullptr, 0) == WRIT_STD_OK) {
      regexes_.emplace(id, regex);
    }
  }
}

CompiledPatterns::~CompiledPatterns() {
  for (auto& [id, regex] : regexes_) writ_regex_free(regex);
}

const writ_regex* CompiledPatterns::Find(ir::ExprId call) const {
  auto it = regexes_.find(call.index);
  return it == regexes_.end() ? nullptr : it->second;
}

}  // namespace writ::runtime::internal
