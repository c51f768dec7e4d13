//===- FunctionChecks.cpp - Can the function become a coroutine -------------===//
//
// The function must be able to become a coroutine and keep its callers
// compiling; each handler is inlined once, a loop's parameters must be
// assignable, and no lock may be held across a co_await.
//
//===----------------------------------------------------------------------===//
#include "analysis/Finder.h"
#include "analysis/Types.h"
#include "support/Ast.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace awaitify::detail {

std::optional<std::string> Finder::functionProblem(const FunctionDecl *F,
                                                   const LambdaExpr *L) {
  if (!Ctx.getLangOpts().CPlusPlus20)
    return std::string("needs C++20 coroutines; the file is not compiled as "
                       "C++20 or later");
  if (F->isMain())
    return std::string("'main' cannot be a coroutine");
  if (isa<CXXConstructorDecl>(F) || isa<CXXDestructorDecl>(F))
    return std::string("constructors and destructors cannot be coroutines");
  if (!F->getReturnType()->isVoidType())
    return std::string("the function returns a value");
  if (!L && F->getDeclaredReturnType()->getContainedDeducedType())
    return std::string("the function's return type is deduced");
  if (F->isVariadic())
    return std::string("a C-style variadic function cannot be a coroutine");
  if (F->isConstexprSpecified() && !L)
    return std::string("a constexpr function cannot be a coroutine");
  if (F->isDependentContext() || F->isTemplateInstantiation())
    return std::string("the function is a template: awaitify rewrites only "
                       "code whose callees it can resolve");
  if (const auto *M = dyn_cast<CXXMethodDecl>(F); M && M->isVirtual())
    return std::string("the function is virtual: its overriders would need "
                       "the same change");
  // A function other files see keeps its type (it starts a coroutine of
  // its own); only one that becomes the coroutine changes it.
  if (Index.AddressTaken.count(F->getCanonicalDecl()) &&
      (L || !othersSee(F, SM)))
    return std::string("the function's address is taken: a coroutine has a "
                       "different type");
  if (isa<CoroutineBodyStmt>(F->getBody()))
    return std::string("the function is already a coroutine");
  if (isa<CXXTryStmt>(F->getBody()))
    return std::string("the function body is a function-try-block");
  if (L) {
    if (L->capture_size() != 0)
      return std::string(
          "the lambda captures: captures live in the closure object, which "
          "may be destroyed while the coroutine is suspended");
    if (inMacro(L->getCompoundStmtBody()->getLBracLoc()))
      return std::string("the lambda is spelled through a macro expansion");
  } else {
    for (const FunctionDecl *D : F->redecls()) {
      SourceRange RT = D->getReturnTypeSourceRange();
      if (RT.isInvalid() || inMacro(RT.getBegin()) || inMacro(RT.getEnd()))
        return std::string("a declaration's return type is not written in "
                           "plain source (macro or implicit)");
      if (SM.isInSystemHeader(RT.getBegin()))
        return std::string("a declaration is in a system header");
    }
  }
  return std::nullopt;
}

bool Finder::covers(const FunctionPlan &Plan, const FunctionPlan &Other) {
  // The loop this plan enters was found as a chain of its own (its head is
  // defined before the entry): this plan holds all of it.
  auto Inlined = [&](const FunctionDecl *F) {
    return llvm::any_of(Plan.Inlined, [&](const FunctionDecl *I) {
      return I->getCanonicalDecl() == F->getCanonicalDecl();
    });
  };
  return !Other.Lambda && Plan.LoopHeads.count(Other.Function) &&
         Inlined(Other.Function) && llvm::all_of(Other.Inlined, Inlined);
}

bool Finder::takesOver(const FunctionPlan &Plan, const FunctionDecl *H) {
  for (const FunctionPlan &Other : Plans)
    if (Other.Function->getCanonicalDecl() == H->getCanonicalDecl() ||
        llvm::any_of(Other.Inlined, [&](const FunctionDecl *I) {
          return I->getCanonicalDecl() == H->getCanonicalDecl();
        }))
      return covers(Plan, Other);
  return false;
}

/// Whether every back edge to loop head \p H passes its parameter \p P
/// as it is (`do_accept(acceptor)` in do_accept): the loop need not assign
/// it.
static bool passedOnUnchanged(const FunctionPlan &Plan, const FunctionDecl *H,
                              const ParmVarDecl *P) {
  bool Unchanged = true;
  auto IsP = [&](const Expr *E) {
    const auto *R = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return R && R->getDecl() == P;
  };
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (!S.BackEdge || S.Handler != H)
      return;
    if (S.K == Step::HandlerCall && !S.Hop) {
      Unchanged &= IsP(argumentFor(S.Call, P));
    } else {
      auto Bound = S.boundParams();
      auto At = llvm::find(Bound, P);
      Unchanged &= At != Bound.end() && IsP(S.BoundArgs[At - Bound.begin()]);
    }
  });
  return Unchanged;
}

bool Finder::checkHandlers(FunctionPlan &Plan, std::string &Why) {
  llvm::DenseMap<const FunctionDecl *, unsigned> Inlines, Edges;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (!S.Handler)
      return;
    ++Edges[S.Handler];
    // Calls that meet after their branch inline the handler once.
    if (!S.BackEdge && (!S.Arrives || S.Join))
      ++Inlines[S.Handler];
  });
  for (const FunctionDecl *H : Plan.Inlined) {
    std::string Name = qualifiedName(H);
    if (Inlines[H] > 1) {
      Why = "handler '" + Name + "' is continued in from several places; "
            "inlining it would copy it";
      return false;
    }
    if (Claimed.count(H->getCanonicalDecl()) && !takesOver(Plan, H)) {
      Why = "handler '" + Name + "' is part of another chain already";
      return false;
    }
  }
  for (const FunctionDecl *H : Plan.LoopHeads)
    for (const ParmVarDecl *P : H->parameters()) {
      QualType T = P->getType();
      if (!T->isReferenceType() && !T.isConstQualified())
        continue;
      // Every back edge passes it on unchanged: nothing to assign.
      if (passedOnUnchanged(Plan, H, P))
        continue;
      // An inlined handler's `const T&` or `const T` parameter becomes a
      // local of its own, a plain `T` the loop assigns: the handler could
      // not change it, and a copy reads the same.
      bool ConstRef = T->isLValueReferenceType() &&
                      T.getNonReferenceType().isConstQualified();
      if (H != Plan.Function && (ConstRef || !T->isReferenceType()))
        continue;
      Why = "the chain loops back to '" + qualifiedName(H) +
            "', whose parameter '" + P->getName().str() +
            "' is a reference or const: the loop cannot assign it";
      return false;
    }
  // An inlined handler that nothing else names goes away with the chain.
  for (const FunctionDecl *H : Plan.Inlined) {
    if (Index.references(H) <= Edges[H])
      Plan.Removed.push_back(H);
    else
      Plan.lower(Confidence::Reasonable,
                 "handler '" + qualifiedName(H) +
                     "' is used elsewhere too: it stays, and a copy of its "
                     "body runs in the coroutine");
  }
  return true;
}

bool Finder::checkLocks(FunctionPlan &Plan, std::string &Why) {
  // A local at the top of a flattened body now lives until the end of the
  // coroutine's block, across every later co_await; for a lock, that is a
  // different program.
  auto Check = [&](const CompoundStmt *Body, bool MoreAwaits) {
    if (!MoreAwaits)
      return true;
    for (const Stmt *Child : Body->body())
      if (const auto *DS = dyn_cast<DeclStmt>(Child))
        for (const Decl *D : DS->decls())
          if (const auto *V = dyn_cast<VarDecl>(D); V && isLock(V->getType())) {
            Why = "'" + V->getName().str() + "' would stay locked across the "
                  "next co_await";
            return false;
          }
    return true;
  };
  bool Ok = Check(cast<CompoundStmt>(Plan.Lambda ? Plan.Lambda->getBody()
                                                 : Plan.Function->getBody()),
                  true);
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (Ok && !S.BackEdge)
      Ok = Check(S.body(), !S.Next.empty());
  });
  return Ok;
}

} // namespace awaitify::detail
