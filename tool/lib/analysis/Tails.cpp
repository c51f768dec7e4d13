//===- Tails.cpp ----------------------------------------------------------===//
#include "analysis/Tails.h"
#include "support/Ast.h"
#include "clang/AST/Expr.h"

using namespace clang;

namespace awaitify::detail {

namespace {
/// The statement that case and default labels label.
const Stmt *unlabelled(const Stmt *S) {
  while (const auto *C = dyn_cast_or_null<SwitchCase>(S))
    S = C->getSubStmt();
  return S;
}

struct TailWalk {
  llvm::SmallVectorImpl<TailSite> &Out;

  /// \p BreakEnds: a `break;` here leaves a switch in tail position, after
  /// which nothing runs. \p Cases: \p S is a switch's body, whose
  /// statements are its cases'.
  void walk(const Stmt *S, bool InTail, bool Conditional, const IfStmt *ArmOf,
            bool BreakEnds, bool Cases) {
    if (!S)
      return;
    if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
      unsigned N = CS->size();
      const Stmt *CaseBegin = nullptr;
      for (unsigned I = 0; I != N; ++I) {
        const Stmt *Raw = CS->body_begin()[I];
        const Stmt *Child = unlabelled(Raw);
        if (Cases && isa<SwitchCase>(Raw))
          CaseBegin = Child;
        // The statement after it as written: a labelled one is the next
        // case, which a statement without `break;` falls into.
        const Stmt *Next = I + 1 < N ? CS->body_begin()[I + 1] : nullptr;
        const Stmt *Ender =
            isBareReturn(Next) || (BreakEnds && isa_and_nonnull<BreakStmt>(Next))
                ? Next
                : nullptr;
        TailSite Site{Child, Conditional, nullptr, Ender,
                      Cases ? CaseBegin : nullptr};
        const auto *R = dyn_cast<ReturnStmt>(Child);
        if (R && R->getRetValue() &&
            R->getRetValue()->getType()->isVoidType())
          Out.push_back(Site); // `return api(..., cb);`
        else if ((InTail && I + 1 == N) || Ender)
          walkTail(Site, BreakEnds);
        else if (isa<IfStmt, CompoundStmt, SwitchStmt>(Child))
          walk(Child, /*InTail=*/false, Conditional, nullptr, BreakEnds,
               false);
      }
      return;
    }
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      if (If->isConsteval())
        return;
      walk(If->getThen(), InTail, true, If, BreakEnds, false);
      walk(If->getElse(), InTail, true, If, BreakEnds, false);
      return;
    }
    if (const auto *Sw = dyn_cast<SwitchStmt>(S)) {
      // Each case runs only sometimes; a `break;` of this switch (not of
      // one around it) goes to its end.
      walk(Sw->getBody(), InTail, true, nullptr, /*BreakEnds=*/InTail,
           /*Cases=*/true);
      return;
    }
    const auto *R = dyn_cast<ReturnStmt>(S);
    if (InTail || (R && R->getRetValue() &&
                   R->getRetValue()->getType()->isVoidType()))
      Out.push_back({S, Conditional, ArmOf});
  }

  /// A statement of a block in tail position (followed by nothing, or by
  /// its Ender).
  void walkTail(const TailSite &Site, bool BreakEnds) {
    if (isa<CompoundStmt, IfStmt, SwitchStmt>(Site.S)) {
      walk(Site.S, /*InTail=*/true, Site.Conditional, nullptr, BreakEnds,
           false);
      return;
    }
    Out.push_back(Site);
  }
};
} // namespace

void collectTails(const Stmt *S, bool InTail,
                  llvm::SmallVectorImpl<TailSite> &Out, bool Conditional,
                  const IfStmt *ArmOf) {
  TailWalk{Out}.walk(S, InTail, Conditional, ArmOf, /*BreakEnds=*/false,
                     /*Cases=*/false);
}

} // namespace awaitify::detail
