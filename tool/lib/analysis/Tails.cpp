//===- Tails.cpp ----------------------------------------------------------===//
#include "analysis/Tails.h"
#include "support/Ast.h"
#include "clang/AST/Expr.h"

using namespace clang;

namespace awaitify::detail {

void collectTails(const Stmt *S, bool InTail, llvm::SmallVectorImpl<TailSite> &Out,
                  bool Conditional, const IfStmt *ArmOf) {
  if (!S)
    return;
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    unsigned N = CS->size();
    for (unsigned I = 0; I != N; ++I) {
      const Stmt *Child = CS->body_begin()[I];
      bool ChildTail = (InTail && I + 1 == N) ||
                       (I + 1 < N && isBareReturn(CS->body_begin()[I + 1]));
      const auto *R = dyn_cast<ReturnStmt>(Child);
      if (R && R->getRetValue() && R->getRetValue()->getType()->isVoidType())
        Out.push_back({Child, Conditional}); // `return api(..., cb);`
      else if (ChildTail)
        collectTails(Child, /*InTail=*/true, Out, Conditional);
      else if (isa<IfStmt>(Child) || isa<CompoundStmt>(Child))
        collectTails(Child, /*InTail=*/false, Out, Conditional);
    }
    return;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    if (If->isConsteval())
      return;
    collectTails(If->getThen(), InTail, Out, true, If);
    collectTails(If->getElse(), InTail, Out, true, If);
    return;
  }
  const auto *R = dyn_cast<ReturnStmt>(S);
  if (InTail || (R && R->getRetValue() &&
                 R->getRetValue()->getType()->isVoidType()))
    Out.push_back({S, Conditional, ArmOf});
}

} // namespace awaitify::detail
