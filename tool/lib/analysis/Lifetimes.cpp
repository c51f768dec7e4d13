//===- Lifetimes.cpp - When values die, and where exceptions go -------------===//
//
// In the callback code a function's locals died when it returned, a
// callback's when it returned, and what was lent to a call lived until the
// caller returned; an exception thrown by a callback left the API's call.
// In the coroutine each of these may change: rated here.
//
//===----------------------------------------------------------------------===//
#include "analysis/Finder.h"
#include "analysis/Handlers.h"
#include "analysis/Lent.h"
#include "analysis/Types.h"
#include "plan/Naming.h"
#include "support/Ast.h"
#include "support/Walk.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace awaitify::detail {

/// The parameter that argument \p I of \p Call initializes (the object of
/// an operator call is not an argument here); null when unknown.
static const ParmVarDecl *parameterFor(const CallExpr *Call, unsigned I) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
      Op && isa<CXXMethodDecl>(Callee)) {
    if (I == 0)
      return nullptr;
    --I;
  }
  return I < Callee->getNumParams() ? Callee->getParamDecl(I) : nullptr;
}

Passing passing(const CallExpr *Call, unsigned I) {
  const ParmVarDecl *P = parameterFor(Call, I);
  if (!P)
    return Passing::Shared;
  QualType T = P->getType();
  if (T->isDependentType() || T->isPointerType() ||
      T->isRValueReferenceType())
    return Passing::Shared;
  if (T->isLValueReferenceType())
    return T->getPointeeType().isConstQualified() ? Passing::ReadOnly
                                                   : Passing::Shared;
  if (isView(T))
    return classTemplateName(T) == "std::span"
               ? Passing::Shared
               : Passing::ReadOnly;
  // A copy, unless built from an address (`Handle(&x)` keeps a pointer).
  const auto *U = dyn_cast<UnaryOperator>(Call->getArg(I)->IgnoreParenImpCasts());
  return U && U->getOpcode() == UO_AddrOf ? Passing::Shared : Passing::Copy;
}

/// The variable of the chain that argument \p A lends: named by it, or by
/// the object it takes the address of or a member or element of; only
/// variables that the coroutine owns (its parameters and locals), not
/// references to others' objects.
const VarDecl *lentVariable(const Expr *A,
                                   llvm::ArrayRef<const ParmVarDecl *> Copied) {
  for (;;) {
    A = A->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(A); U && U->getOpcode() == UO_AddrOf)
      A = U->getSubExpr();
    else if (const auto *M = dyn_cast<MemberExpr>(A); M && !M->isArrow())
      A = M->getBase();
    else if (const auto *E = dyn_cast<ArraySubscriptExpr>(A))
      A = E->getBase();
    // A view made of it: `s` passed for a string_view (`s.operator
    // basic_string_view()`), a vector for a span.
    else if (const auto *C = dyn_cast<CXXMemberCallExpr>(A);
             C && isa_and_nonnull<CXXConversionDecl>(C->getMethodDecl()) &&
             isView(C->getType()))
      A = C->getImplicitObjectArgument();
    else if (const auto *C = dyn_cast<CXXConstructExpr>(A);
             C && C->getNumArgs() == 1 && isView(C->getType()) &&
             !isView(C->getArg(0)->getType()))
      A = C->getArg(0);
    else
      break;
  }
  const auto *R = dyn_cast<DeclRefExpr>(A);
  const auto *V = R ? dyn_cast<VarDecl>(R->getDecl()) : nullptr;
  if (!V || !(V->isLocalVarDecl() || isa<ParmVarDecl>(V)) ||
      V->isStaticLocal())
    return nullptr;
  if (V->getType()->isReferenceType() &&
      !llvm::is_contained(Copied, dyn_cast<ParmVarDecl>(V)))
    return nullptr;
  return V;
}

/// Whether the API of \p S never calls back before it returns.
static bool completesLater(const Step &S) {
  return S.Rule && S.Rule->CompletesLater;
}

namespace {
/// What in some code may throw: the first `throw` written there, and the
/// first call (or construction, or new) not known not to throw. Nested
/// lambdas are not looked into: their bodies run when they are called.
struct ThrowFinder {
  const CXXThrowExpr *Throw = nullptr;
  const Expr *MayThrow = nullptr;
  /// Tail calls of handlers: the coroutine inlines them or loops back.
  llvm::SmallPtrSet<const CallExpr *, 4> Replaced;
  /// Loop heads already looked at.
  llvm::SmallPtrSet<const FunctionDecl *, 4> LoopHeads;

  void look(const Stmt *Code) {
    walk(
        Code,
        [&](const Stmt &S) {
          if (const auto *E = dyn_cast<CXXThrowExpr>(&S)) {
            if (!Throw)
              Throw = E;
          } else if (const auto *E = dyn_cast<CallExpr>(&S)) {
            const FunctionDecl *F = E->getDirectCallee();
            if (!Replaced.count(E) && (!F || !isNoThrow(F)))
              note(E);
          } else if (const auto *E = dyn_cast<CXXConstructExpr>(&S)) {
            if (!E->getConstructor()->isTrivial() &&
                !isNoThrow(E->getConstructor()))
              note(E);
          } else if (const auto *E = dyn_cast<CXXNewExpr>(&S)) {
            note(E);
          }
          return true;
        },
        Lambdas::Skip);
  }

  static bool isNoThrow(const FunctionDecl *F) {
    const auto *T = F->getType()->getAs<FunctionProtoType>();
    return T && T->canThrow() == CT_Cannot;
  }
  void note(const Expr *E) {
    if (!MayThrow)
      MayThrow = E;
  }
};
} // namespace

/// Looks at what runs inside the call of \p S's API when it calls back
/// before returning: the continuation, and the steps after it that run in the
/// same activation (inlined handlers, APIs that may call back inline too).
static void findThrowsInside(const Step &S, ThrowFinder &F) {
  for (const Step &N : S.Next)
    if (N.K == Step::HandlerCall)
      F.Replaced.insert(N.Call);
  F.look(S.body());
  for (const Step &N : S.Next) {
    if (N.BackEdge) {
      // The loop goes round inside the same call: its head runs again.
      if (N.Handler && F.LoopHeads.insert(N.Handler).second)
        F.look(N.Handler->getBody());
    } else if (N.K != Step::Await || !completesLater(N)) {
      findThrowsInside(N, F);
    }
  }
}

void Finder::checkInlineFirstSteps(FunctionPlan &Plan) {
  // The first step's API may call back before it returns: the coroutine then
  // goes on inside that call (where the callback ran), and once it has, the
  // call that started the coroutine can no longer throw. What the callback
  // code threw out of the function goes to the unhandled-exception handler
  // instead (docs/runtime.md). Later activations are resumed by completion
  // calls, which do throw on what the coroutine lets out.
  std::function<void(const Step &)> Visit = [&](const Step &S) {
    if (S.K != Step::Await) {
      for (const Step &N : S.Next)
        if (!N.BackEdge)
          Visit(N);
      return;
    }
    if (completesLater(S))
      return;
    ThrowFinder F;
    findThrowsInside(S, F);
    std::string Said = "'" + S.Callee + "' may call back before it returns: ";
    std::string Instead =
        " would then reach the unhandled-exception handler (which "
        "terminates), not leave " +
        (Plan.Lambda ? std::string("the lambda")
                     : "'" + Plan.Function->getNameAsString() + "'") +
        " as before ('completes: later' in its rule says it never calls back "
        "before it returns)";
    if (F.Throw) {
      Plan.lower(Confidence::Risky,
                 Said + "the exception thrown on line " +
                     std::to_string(SM.getSpellingLineNumber(
                         F.Throw->getBeginLoc())) +
                     Instead);
    } else if (F.MayThrow) {
      std::string What = "what it runs";
      if (const auto *C = dyn_cast<CallExpr>(F.MayThrow))
        if (const FunctionDecl *Callee = C->getDirectCallee()) {
          std::string Name = qualifiedName(Callee);
          What = "'" + (Name.empty() ? Callee->getNameAsString() : Name) + "'";
        }
      Plan.lower(Confidence::Reasonable,
                 Said + "an exception from " + What + " after that" + Instead);
    }
  };
  for (const Step &R : Plan.Roots)
    Visit(R);
}

void Finder::checkLentLocals(FunctionPlan &Plan) {
  // In the callback code, what a function or callback lent to the call that
  // starts an operation lived until that function returned, after the call.
  // The coroutine's variables die where their scope in it ends: when the
  // API calls back before it returns (inline, or on a thread it waits for),
  // that may be inside the call, once the coroutine has gone on.
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (S.K != Step::Await || completesLater(S))
      return;
    for (unsigned I = 0, N = S.Call->getNumArgs(); I != N; ++I) {
      const Expr *A = S.Call->getArg(I);
      if (A == S.CallbackArg)
        continue;
      if (passing(S.Call, I) == Passing::Copy)
        continue;
      if (const VarDecl *V = lentVariable(A, Plan.ByValueParams))
        Plan.lower(Confidence::Reasonable,
                   "'" + S.Callee + "' is lent '" + V->getName().str() +
                       "' (by reference, pointer or view): if it calls back "
                       "before it returns, it must not use it after that, as "
                       "the coroutine may have left its scope by then "
                       "('completes: later' in its rule says it never calls "
                       "back before it returns)");
    }
  });
}

void Finder::checkLocals(FunctionPlan &Plan) {
  // A local of a callback died when the callback returned, before the next
  // callback ran; a local of the function died when it returned. In the
  // coroutine a local whose scope holds the next step lives across that
  // co_await. Invisible for plain values and for the owner the coroutine
  // keeps anyway; not for anything else (a pointer locked from a weak_ptr,
  // a guard, a handle).
  auto Check = [&](const Stmt *Body, const std::vector<Step> &Next,
                   llvm::StringRef Where) {
    NameIndex Names;
    Names.add(Body);
    std::vector<NameIndex::Entry> Locals;
    for (const auto &Entry : Names.Decls)
      for (const NameIndex::Entry &E : Entry.getValue()) {
        const auto *V = dyn_cast<VarDecl>(E.D);
        if (V && !isa<ParmVarDecl>(V) && V->isLocalVarDecl() &&
            !isPlainType(V->getType()) && !isLock(V->getType()) &&
            !ownsThis(V))
          Locals.push_back(E);
      }
    // In source order: the same assumptions in the same order on every run.
    llvm::sort(Locals, [&](const NameIndex::Entry &A, const NameIndex::Entry &B) {
      return SM.isBeforeInTranslationUnit(A.D->getLocation(), B.D->getLocation());
    });
    for (const NameIndex::Entry &E : Locals) {
      const ValueDecl *V = E.D;
      auto Spans = [&](const Step &N) {
        SourceLocation At = N.Call->getBeginLoc();
        return contains(SM, E.Scope, At) &&
               SM.isBeforeInTranslationUnit(V->getLocation(), At);
      };
      auto N = llvm::find_if(Next, Spans);
      if (N == Next.end())
        continue;
      Plan.lower(Confidence::Risky,
                 label(V) + " " + Where.str() +
                     "; in the coroutine it would live across the co_await "
                     "of '" + N->Callee + "', and destroying it runs code");
    }
  };
  Check(Plan.Lambda ? Plan.Lambda->getBody() : Plan.Function->getBody(),
        Plan.Roots, "died when the function returned");
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (!S.BackEdge && !S.Next.empty())
      Check(S.body(), S.Next,
            "died when the callback of '" + S.Callee + "' returned");
  });
}

} // namespace awaitify::detail
