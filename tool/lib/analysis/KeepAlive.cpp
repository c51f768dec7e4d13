//===- KeepAlive.cpp ------------------------------------------------------===//
#include "analysis/KeepAlive.h"
#include "analysis/Handlers.h"
#include "support/Ast.h"

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

void planKeepAlive(FunctionPlan &Plan) {
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
  if (!AtStart)
    Plan.lower(Confidence::Reasonable,
               "the coroutine owns the object from its start ('auto " +
                   Plan.SelfName + " = shared_from_this();'), as its handlers "
                   "did one after another; a shared_ptr must own the object "
                   "whenever '" + qualifiedName(Plan.Function) +
                   "' is called");
}

} // namespace awaitify::detail
