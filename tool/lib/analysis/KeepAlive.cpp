//===- KeepAlive.cpp ------------------------------------------------------===//
#include "analysis/KeepAlive.h"
#include "analysis/Handlers.h"
#include "analysis/Lent.h"
#include "support/Ast.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace awaitify::detail {

bool dropKeepers(FunctionPlan &Plan) {
  // `auto self(shared_from_this());` in the handlers: the coroutine's own
  // `self` keeps the object alive for the whole chain instead.
  bool Any = false;
  auto Drop = [&](const CompoundStmt *Body) {
    for (const Stmt *Child : Body->body())
      if (const VarDecl *V = selfKeeper(Child)) {
        Any = true;
        Plan.DroppedStatements.insert(Child);
        if (V->getName() != Plan.SelfName)
          Plan.Renames[V] = Plan.SelfName;
      }
  };
  Drop(cast<CompoundStmt>(Plan.Function->getBody()));
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (!S.BackEdge)
      Drop(S.body());
    // `[self = shared_from_this()]`: the same, as an init-capture.
    if (const LambdaExpr *L = S.Continuation)
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && L->isInitCapture(&C))
          if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
              V && ownsThis(V)) {
            Any = true;
            Plan.DroppedInitCaptures.insert(V);
            if (V->getName() != Plan.SelfName)
              Plan.Renames[V] = Plan.SelfName;
          }
  });
  return Any;
}

/// Whether \p V owns the object: initialised with shared_from_this(), or
/// with (a copy or move of) a variable that is.
static bool holdsOwner(const VarDecl *V) {
  for (unsigned Hops = 0; V && Hops != 8; ++Hops) {
    if (ownsThis(V))
      return true;
    V = dyn_cast_or_null<VarDecl>(carriedVariable(V->getInit()));
  }
  return false;
}

/// Whether the callback of await (or hop) step \p S owns the object while
/// its operation is pending: a lambda that copies an owner, or a member
/// bound to one.
static bool callbackOwns(const Step &S) {
  if (const LambdaExpr *L = S.Continuation)
    return llvm::any_of(L->captures(), [&](const LambdaCapture &C) {
      const auto *V = C.capturesVariable()
                          ? dyn_cast<VarDecl>(C.getCapturedVar())
                          : nullptr;
      return V && C.getCaptureKind() == LCK_ByCopy && holdsOwner(V);
    });
  // A hop is `dispatch(ex, bound)` (Boost adds a defaulted parameter).
  const Expr *Arg = S.Hop ? S.Call->getArg(1) : S.CallbackArg;
  return Arg && bindsOwner(Arg);
}

void rateOwnedWaits(FunctionPlan &Plan, const SourceManager &SM) {
  const Step *Unowned = nullptr;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (!Unowned && (S.K == Step::Await || S.Hop) && !callbackOwns(S))
      Unowned = &S;
  });
  if (!Unowned)
    return;
  Plan.lower(Confidence::Risky,
             "the callback of '" + Unowned->Callee + "' on line " +
                 std::to_string(SM.getSpellingLineNumber(
                     SM.getFileLoc(Unowned->Call->getBeginLoc()))) +
                 " does not own the object: it could be destroyed while "
                 "that operation was pending (destroying an Asio timer or "
                 "socket cancels its operations), and the coroutine owns it "
                 "until the chain ends");
}

void planKeepAlive(FunctionPlan &Plan, const SourceManager &SM) {
  // The callback code kept the object alive from one handler to the next
  // (each owned it until the next took over); a coroutine is one frame, so
  // it owns the object from its start to its end -- before any loop, never
  // inside one, where the owner would die at each `continue`.
  const auto *M = dyn_cast<CXXMethodDecl>(Plan.Function);
  if (Plan.Lambda || !M || !sharesOwnership(M->getParent()) ||
      M->isStatic())
    return;
  bool Bound = false;
  forEachStep(Plan.Roots, [&](const Step &S) {
    Bound |= S.K == Step::Await && S.CallbackArg && bindsOwner(S.CallbackArg);
  });
  const auto *Body = cast<CompoundStmt>(Plan.Function->getBody());
  // Taken first thing in the function, as before: nothing moves.
  bool AtStart = !Body->body_empty() && selfKeeper(Body->body_front());
  if (!dropKeepers(Plan) && !Bound)
    return;
  Plan.KeepSelf = true;
  rateOwnedWaits(Plan, SM);
  if (!AtStart)
    Plan.lower(Confidence::Reasonable,
               "the coroutine owns the object from its start ('auto " +
                   Plan.SelfName + " = shared_from_this();'), as its handlers "
                   "did one after another; a shared_ptr must own the object "
                   "whenever '" + qualifiedName(Plan.Function) +
                   "' is called");
}

} // namespace awaitify::detail
