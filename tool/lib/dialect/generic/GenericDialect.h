//===- GenericDialect.h - Awaiting any callback API -------------*- C++ -*-===//
//
// Internal. The dialect of every completion API without a library of its
// own: the function becomes `awaitify::detached f(...)` (started eagerly,
// like the callback code it replaces), and each step awaits
//
//   T x = co_await awaitify::from_callback<T>(
//       [&](auto resume) { api(args, resume); });
//
// through the runtime (runtime/include/awaitify).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_DIALECT_GENERIC_GENERICDIALECT_H
#define AWAITIFY_DIALECT_GENERIC_GENERICDIALECT_H

#include "dialect/Dialect.h"

namespace awaitify::detail {

class GenericDialect : public Dialect {
public:
  llvm::StringRef name() const override { return "generic"; }
  bool usesRuntime() const override { return true; }
  bool isFrontBinder(const clang::FunctionDecl *Callee) const override;
  bool plan(FunctionPlan &Plan, const PlanContext &C,
            std::string &Why) const override;
  void nameAwait(Namer &N, Step &S) const override;
  std::string coroutineType(const PlanRewriter &R) const override;
  std::string declareResults(const PlanRewriter &R,
                             const Step &S) const override;
  std::string
  assignResults(const PlanRewriter &R, const Step &S,
                llvm::ArrayRef<clang::ParmVarDecl *> Params) const override;
  void signatureEdits(
      const PlanRewriter &R,
      std::vector<clang::tooling::Replacement> &Out) const override;
  std::vector<std::string> headers(const PlanRewriter &R,
                                   bool Own) const override;

private:
  /// `co_await awaitify::from_callback<Ts...>(...)` for await step \p S.
  std::string await(const PlanRewriter &R, const Step &S) const;
};

} // namespace awaitify::detail

#endif
