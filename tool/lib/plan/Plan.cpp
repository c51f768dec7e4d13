//===- Plan.cpp -----------------------------------------------------------===//
#include "plan/Plan.h"
#include "support/Walk.h"

using namespace clang;

namespace awaitify::detail {

const CompoundStmt *Step::body() const {
  if (Continuation)
    return cast<CompoundStmt>(runOperator(Continuation)->getBody());
  return cast<CompoundStmt>(Handler->getBody());
}

llvm::ArrayRef<ParmVarDecl *> Step::params() const {
  if (Continuation)
    return runOperator(Continuation)->parameters();
  return BoundLast ? Handler->parameters().drop_back(BoundArgs.size())
                   : Handler->parameters().drop_front(BoundArgs.size());
}

llvm::ArrayRef<ParmVarDecl *> Step::boundParams() const {
  if (!Handler)
    return {};
  return BoundLast ? Handler->parameters().take_back(BoundArgs.size())
                   : Handler->parameters().take_front(BoundArgs.size());
}

unsigned FunctionPlan::depth() const {
  // Awaits on the longest path; a call into a handler is not a step of its
  // own.
  std::function<unsigned(const Step &)> Longest = [&](const Step &S) {
    unsigned Best = 0;
    for (const Step &N : S.Next)
      Best = std::max(Best, Longest(N));
    return (S.K == Step::Await ? 1 : 0) + Best;
  };
  unsigned Best = 0;
  for (const Step &R : Roots)
    Best = std::max(Best, Longest(R));
  return Best;
}

void forEachStep(const std::vector<Step> &Steps,
                 const std::function<void(const Step &)> &Fn) {
  for (const Step &S : Steps) {
    Fn(S);
    forEachStep(S.Next, Fn);
  }
}

} // namespace awaitify::detail
