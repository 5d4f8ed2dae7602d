#include "compiler/check/checker.h"

#include <variant>

#include "compiler/check/internal/context.h"

namespace writ::check {

std::unique_ptr<Program> Check(const SourceManager& sources, std::span<const syntax::File> files,
                               diag::Consumer& consumer) {
  auto program = std::make_unique<Program>();
  for (const syntax::File& file : files) program->AddFile(file.id, file.exprs.size());
  internal::Context ctx(sources, consumer, *program);

  // Names first, across every file, so that declarations may refer to each other in any order
  // and across packages; then each rule-like declaration and test, in source order.
  internal::DeclarePackages(ctx, files);
  internal::ResolveImports(ctx);
  internal::DeclareSchema(ctx);
  internal::ResolveSchema(ctx);
  for (const internal::FileScope& scope : ctx.files) {
    for (const syntax::Decl& decl : scope.file->decls) {
      std::visit(
          [&](const auto& node) {
            using T = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<T, syntax::RuleDecl>) {
              internal::CheckRule(ctx, scope, decl);
            } else if constexpr (std::is_same_v<T, syntax::LimitDecl>) {
              internal::CheckLimit(ctx, scope, decl);
            } else if constexpr (std::is_same_v<T, syntax::BudgetDecl>) {
              internal::CheckBudget(ctx, scope, decl);
            } else if constexpr (std::is_same_v<T, syntax::RateDecl>) {
              internal::CheckRate(ctx, scope, decl);
            } else if constexpr (std::is_same_v<T, syntax::PoolDecl>) {
              internal::CheckPool(ctx, scope, decl);
            } else if constexpr (std::is_same_v<T, syntax::OutputDecl>) {
              internal::CheckOutput(ctx, scope, decl);
            } else if constexpr (std::is_same_v<T, syntax::TestDecl>) {
              internal::CheckTest(ctx, scope, decl);
            }
            // Schema declarations were resolved above.
          },
          decl.kind);
    }
  }
  return program;
}

}  // namespace writ::check
