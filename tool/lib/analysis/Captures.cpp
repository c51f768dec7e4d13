//===- Captures.cpp - What continuations capture ----------------------------===//
//
// A copy must stay a copy, and a reference must not outlive what it refers
// to: each capture of a flattened continuation either keeps its meaning in
// the coroutine, lowers the confidence, or leaves the chain alone.
//
//===----------------------------------------------------------------------===//
#include "analysis/Finder.h"
#include "analysis/Handlers.h"
#include "analysis/Lent.h"
#include "analysis/Types.h"
#include "support/Ast.h"
#include "support/Walk.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace awaitify::detail {

/// The variable a capture initialiser only passes along: `x`,
/// `std::move(x)`, or a copy/move of either.
const ValueDecl *carriedVariable(const Expr *Init) {
  if (!Init)
    return nullptr;
  const Expr *E = Init->IgnoreImplicit()->IgnoreParens();
  if (const auto *C = dyn_cast<CXXConstructExpr>(E))
    if (C->getNumArgs() == 1 &&
        (C->getConstructor()->isCopyOrMoveConstructor()))
      E = C->getArg(0)->IgnoreImplicit()->IgnoreParens();
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *Fn = Call->getDirectCallee();
        isNamed(Fn, "std::move") &&
        Call->getNumArgs() == 1)
      E = Call->getArg(0)->IgnoreImplicit()->IgnoreParens();
  if (const auto *R = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
        V && V->isLocalVarDeclOrParm())
      return V;
  return nullptr;
}

/// Whether \p Code names \p V (nested lambdas included).
static bool mentions(const Stmt *Code, const ValueDecl *V) {
  return !walk(Code, [&](const Stmt &S) {
    const auto *R = dyn_cast<DeclRefExpr>(&S);
    return !R || R->getDecl() != V;
  });
}

/// Whether \p Body calls std::move (or std::forward) on \p V, nested lambdas
/// included: their captures of \p V name it too.
static bool movesFrom(const Stmt *Body, const ValueDecl *V) {
  return !walk(
      Body,
      [&](const Stmt &S) {
        const auto *C = dyn_cast<CallExpr>(&S);
        const FunctionDecl *Fn = C ? C->getDirectCallee() : nullptr;
        if (!(isNamed(Fn, "std::move") || isNamed(Fn, "std::forward")) ||
            C->getNumArgs() != 1)
          return true;
        const auto *R = dyn_cast<DeclRefExpr>(C->getArg(0)->IgnoreParenImpCasts());
        return !R || R->getDecl() != V;
      });
}

/// Whether the continuation of every step after \p S copies \p V too, so
/// that a copy of it lived until the chain's end in the callback code.
static bool carriedToEnd(const Step &S, const ValueDecl *V) {
  for (const Step &N : S.Next) {
    const LambdaExpr *L = N.Continuation;
    if (!L)
      return false;
    // By copy, or moved on by an init-capture (`[p = std::move(p)]`).
    const ValueDecl *Next = nullptr;
    for (const LambdaCapture &C : L->captures()) {
      if (!C.capturesVariable() || C.getCaptureKind() != LCK_ByCopy)
        continue;
      const auto *W = cast<VarDecl>(C.getCapturedVar());
      if (W == V)
        Next = W;
      else if (L->isInitCapture(&C) && carriedVariable(W->getInit()) == V)
        Next = W;
    }
    if (!Next || !carriedToEnd(N, Next))
      return false;
  }
  return true;
}

void Finder::checkCaptureLifetime(FunctionPlan &Plan, const Step &S,
                                  const VarDecl *V) {
  // In the callback code each callback's copy died with that callback. In
  // the coroutine the variable itself is used, and it lives until the chain
  // ends. Nobody can tell for a value whose destruction does nothing but
  // free memory, nor for an owner of the object the chain runs on (the
  // coroutine owns it from start to end: planKeepAlive).
  QualType T = V->getType();
  if (isPlainType(T) || ownsThis(V))
    return;
  std::string Name = label(V);
  // An owning handle that every later callback copies (or moves on) too
  // kept its target until the chain's end before, as the variable does now.
  if (isOwningHandle(T) && carriedToEnd(S, V))
    return;
  Plan.lower(Confidence::Risky,
             Name + " is copied by the callback of '" + S.Callee +
                 "', whose copy died with that callback; in the coroutine it "
                 "would live until the chain ends, and destroying it runs "
                 "code");
}

void Finder::checkStepCaptures(FunctionPlan &Plan, const Step &S) {
  const LambdaExpr *L = S.Continuation;
  if (!L) {
    for (const Step &N : S.Next)
      checkStepCaptures(Plan, N);
    return;
  }
  if (L->isMutable())
    Plan.lower(Confidence::Reasonable,
               "the callback of '" + S.Callee +
                   "' is mutable: its copies become the variables themselves");
  for (const LambdaCapture &C : L->captures()) {
    if (!C.capturesVariable())
      continue;
    const auto *V = cast<VarDecl>(C.getCapturedVar());
    if (L->isInitCapture(&C)) {
      if (const ValueDecl *W = carriedVariable(V->getInit());
          W && W->getName() == V->getName() && C.getCaptureKind() == LCK_ByCopy)
        Plan.Aliases[V] = W;
      if (C.getCaptureKind() == LCK_ByCopy)
        checkCaptureLifetime(Plan, S, V);
      continue;
    }
    if (C.getCaptureKind() != LCK_ByCopy)
      continue;
    checkCaptureLifetime(Plan, S, V);
    if (!L->isMutable() && movesFrom(S.body(), V))
      Plan.lower(Confidence::Risky,
                 "'" + V->getName().str() + "' is moved from inside the "
                 "callback of '" + S.Callee + "', which holds a const copy: "
                 "today that copies, after flattening it moves");
    // The callee may change what the callback copied before it runs.
    for (unsigned I = 0, N = S.Call->getNumArgs(); I != N; ++I) {
      const Expr *A = S.Call->getArg(I);
      if (A == S.CallbackArg)
        continue;
      if (!mentions(A, V))
        continue;
      // Passed by value, or by reference to const, the callee cannot change
      // what the callback copied; through a pointer, a span or a mutable (or
      // forwarding) reference it can.
      if (passing(S.Call, I) == Passing::Shared)
        Plan.lower(Confidence::Risky,
                   "'" + V->getName().str() + "' is copied by the callback of '" +
                       S.Callee + "' and also passed to it: if the call "
                       "changes it, flattened code sees the change");
    }
  }
  for (const Step &N : S.Next)
    checkStepCaptures(Plan, N);
}

bool Finder::checkCaptures(FunctionPlan &Plan, std::string &Why) {
  // A reference that a flattened continuation copies -- at any depth: the
  // copy was taken when that continuation was created, while a coroutine
  // would read the referent later, when it may be gone or changed.
  // Parameters of flattened continuations are exempt: the rewrite declares
  // them by value (`const User &user` becomes `const User user`).
  llvm::SmallPtrSet<const DeclContext *, 8> ByValueScopes;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (S.Continuation)
      ByValueScopes.insert(runOperator(S.Continuation));
    else if (S.Handler && (S.K == Step::Await || S.Join))
      ByValueScopes.insert(S.Handler); // a join declares values (Joins.cpp)
  });
  auto BecomesCopy = [&](const VarDecl *V) {
    return isa<ParmVarDecl>(V) && ByValueScopes.count(V->getDeclContext());
  };
  bool Ok = true;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (!S.Continuation || !Ok)
      return;
    for (const LambdaCapture &C : S.Continuation->captures()) {
      if (C.getCaptureKind() == LCK_StarThis) {
        Why = "the callback of '" + S.Callee + "' captures *this by copy: "
              "the coroutine would read the object itself, which its caller "
              "may change or destroy before the callback runs";
        Ok = false;
        return;
      }
      if (!C.capturesVariable() || C.getCaptureKind() != LCK_ByCopy ||
          S.Continuation->isInitCapture(&C))
        continue;
      const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
      if (!V || !V->getType()->isReferenceType() || BecomesCopy(V))
        continue;
      const auto *P = dyn_cast<ParmVarDecl>(V);
      QualType Pointee = V->getType()->getPointeeType();
      if (!P || P->getDeclContext() != Plan.Function) {
        Why = "reference '" + V->getName().str() +
              "' is copied by a callback; flattened code would read what it "
              "refers to later instead";
        Ok = false;
        return;
      }
      if (P->getType()->isLValueReferenceType() &&
          !Pointee.isConstQualified()) {
        Why = "reference parameter '" + P->getName().str() +
              "' is copied by a callback; as a coroutine parameter it would "
              "still refer to the caller's object after the first suspension";
        Ok = false;
        return;
      }
      if (!Pointee->isDependentType() && !Pointee->isIncompleteType() &&
          !llvm::is_contained(Plan.ByValueParams, P)) {
        Plan.ByValueParams.push_back(P);
        Plan.lower(Confidence::Reasonable,
                   "parameter '" + P->getName().str() +
                       "' is now taken by value: its callback copied it, and "
                       "a coroutine must not keep the reference");
      }
    }
  });
  if (!Ok)
    return false;
  for (const Step &R : Plan.Roots)
    checkStepCaptures(Plan, R);
  return true;
}

} // namespace awaitify::detail
