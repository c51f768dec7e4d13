//===- Safety.cpp - Check that a chain may become a coroutine -------------===//
//
// The checks of a plan, each a reason to leave a chain alone or to lower the
// confidence: the function itself (it must be able to become a coroutine and
// keep its callers compiling), the captures of each continuation (a copy
// must stay a copy, a reference must not outlive what it refers to), the
// handlers (each inlined once, loop parameters assignable), and, for Asio,
// the shape of each handler and the executor the chain runs on.
//
//===----------------------------------------------------------------------===//
#include "Finder.h"
#include "Handlers.h"
#include "Walk.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

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
  if (AddressTaken.count(F->getCanonicalDecl()))
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

/// The variable a capture initialiser only passes along: `x`,
/// `std::move(x)`, or a copy/move of either.
static const ValueDecl *carriedVariable(const Expr *Init) {
  if (!Init)
    return nullptr;
  const Expr *E = Init->IgnoreImplicit()->IgnoreParens();
  if (const auto *C = dyn_cast<CXXConstructExpr>(E))
    if (C->getNumArgs() == 1 &&
        (C->getConstructor()->isCopyOrMoveConstructor()))
      E = C->getArg(0)->IgnoreImplicit()->IgnoreParens();
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *Fn = Call->getDirectCallee();
        Fn && Fn->isInStdNamespace() && Fn->getName() == "move" &&
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
        if (!Fn || !Fn->isInStdNamespace() ||
            (Fn->getName() != "move" && Fn->getName() != "forward") ||
            C->getNumArgs() != 1)
          return true;
        const auto *R = dyn_cast<DeclRefExpr>(C->getArg(0)->IgnoreParenImpCasts());
        return !R || R->getDecl() != V;
      });
}

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

/// Whether \p T is a standard view: a copy of it still refers to what it
/// was made from.
static bool isView(QualType T) {
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string Name = qualifiedName(RD);
  return Name == "std::basic_string_view" || Name == "std::span";
}

namespace {
/// How a call receives one of its arguments.
enum class Passing {
  Copy,     ///< its own copy: the argument can die or change meanwhile
  ReadOnly, ///< a reference to const or a string_view: kept, not changed
  Shared,   ///< a reference, pointer or span the callee may change it through
};
} // namespace

/// How \p Call receives argument \p I; Shared when unknown (no declaration,
/// a variadic or dependent parameter).
static Passing passing(const CallExpr *Call, unsigned I) {
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
    return qualifiedName(T->getAsCXXRecordDecl()) == "std::span"
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
static const VarDecl *lentVariable(const Expr *A,
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
        if (const FunctionDecl *Callee = C->getDirectCallee())
          What = "'" + Callee->getQualifiedNameAsString() + "'";
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
    if (!L->isMutable() && movesFrom(L->getCompoundStmtBody(), V))
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
      ByValueScopes.insert(S.Continuation->getCallOperator());
    else if (S.Handler && S.K == Step::Await)
      ByValueScopes.insert(S.Handler);
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

/// Whether \p T is a lock (std::lock_guard, unique_lock, scoped_lock,
/// shared_lock, or a boost one): holding it across a co_await would hold it
/// while other handlers run.
static bool isLock(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  llvm::StringRef Name = RD->getName();
  return Name == "lock_guard" || Name == "unique_lock" ||
         Name == "scoped_lock" || Name == "shared_lock";
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

bool Finder::checkHandlers(FunctionPlan &Plan, std::string &Why) {
  llvm::DenseMap<const FunctionDecl *, unsigned> Inlines, Edges;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (!S.Handler)
      return;
    ++Edges[S.Handler];
    if (!S.BackEdge)
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
      if (T->isReferenceType() || T.isConstQualified()) {
        Why = "the chain loops back to '" + qualifiedName(H) +
              "', whose parameter '" + P->getName().str() +
              "' is a reference or const: the loop cannot assign it";
        return false;
      }
    }
  // An inlined handler that nothing else names goes away with the chain.
  for (const FunctionDecl *H : Plan.Inlined) {
    if (references(H) <= Edges[H])
      Plan.Removed.push_back(H);
    else
      Plan.lower(Confidence::Reasonable,
                 "handler '" + qualifiedName(H) +
                     "' is used elsewhere too: it stays, and a copy of its "
                     "body runs in the coroutine");
  }
  return true;
}

std::string Finder::spelling(const Expr *E) const {
  SourceLocation B = SM.getFileLoc(E->getBeginLoc());
  SourceLocation End = Lexer::getLocForEndOfToken(
      SM.getFileLoc(E->getEndLoc()), 0, SM, Ctx.getLangOpts());
  return Lexer::getSourceText(CharSourceRange::getCharRange(B, End), SM,
                              Ctx.getLangOpts())
      .str();
}

bool Finder::planAsio(FunctionPlan &Plan, std::string &Why) {
  bool AnyAsio = false, AnyGeneric = false;
  const Step *FirstAwait = nullptr;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (S.K != Step::Await)
      return;
    (S.Rule->Style == AwaitStyle::Asio ? AnyAsio : AnyGeneric) = true;
    if (!FirstAwait)
      FirstAwait = &S;
  });
  // Executor hops (`dispatch(ex, bound)`): the one the chain starts with
  // names the coroutine's executor; any later one must hop to that same
  // executor, where dispatch runs the handler at once.
  llvm::SmallVector<const Expr *, 2> Hops;
  forEachStep(Plan.Roots, [&](const Step &S) {
    const Expr *Ex = nullptr;
    if (S.K == Step::HandlerCall && executorHop(S.Call, Ex) &&
        &S != &Plan.Roots.front())
      Hops.push_back(Ex);
  });
  if (!AnyAsio) {
    if (!Hops.empty()) {
      Why = "an executor hop in a chain of non-Asio operations";
      return false;
    }
    return true;
  }
  if (AnyGeneric) {
    Why = "the chain mixes Asio operations with other completion APIs";
    return false;
  }
  const FunctionDecl *F = Plan.Function;
  if (Plan.Lambda) {
    Why = "an Asio chain whose enclosing function is a lambda";
    return false;
  }
  bool Ok = true;
  forEachStep(Plan.Roots, [&](const Step &S) {
    if (S.K != Step::Await || !Ok)
      return;
    auto Params = S.params();
    if (Params.empty() || !isErrorCode(Params[0]->getType())) {
      Why = "the handler of '" + S.Callee + "' does not take an error code "
            "first";
      Ok = false;
    } else if (Params.size() > 2) {
      Why = "the handler of '" + S.Callee + "' receives more than one value";
      Ok = false;
    }
  });
  if (!Ok)
    return false;
  for (const ParmVarDecl *P : F->parameters())
    if (P->getType()->isReferenceType()) {
      Why = "reference parameter '" + P->getName().str() +
            "' would have to outlive the call in the spawned coroutine";
      return false;
    }

  Plan.Asio = true;
  llvm::StringRef Library =
      llvm::StringRef(FirstAwait->Rule->Name).starts_with("boost::")
          ? "boost::asio"
          : "asio";
  Plan.AsioLibrary = Library.str();
  Plan.AsioNs = asioNamespaceSpelling(Ctx, Library);

  // The executor the handlers ran on: an explicit hop's, else the I/O
  // object's of the first operation.
  const Expr *Executor = nullptr;
  bool ViaObject = false;
  if (!Plan.Roots.empty() && Plan.Roots.front().K == Step::HandlerCall)
    executorHop(Plan.Roots.front().Call, Executor);
  if (!Executor) {
    Executor = ioObject(FirstAwait->Call);
    ViaObject = true;
  }
  bool Spawnable = Executor != nullptr;
  if (Executor) {
    // Only the function's own parameters: locals and lambda parameters are
    // not there before the coroutine starts.
    bool OwnNames = walk(Executor, [&](const Stmt &S) {
      const auto *R = dyn_cast<DeclRefExpr>(&S);
      const auto *V = R ? dyn_cast<VarDecl>(R->getDecl()) : nullptr;
      return !V || !V->isLocalVarDeclOrParm() ||
             (isa<ParmVarDecl>(V) && V->getDeclContext() == F);
    });
    Spawnable = OwnNames && !inMacro(Executor->getBeginLoc()) &&
                !inMacro(Executor->getEndLoc());
  }
  if (!Spawnable) {
    Why = "cannot tell, where the chain starts, which executor its handlers "
          "ran on";
    return false;
  }
  Plan.Executor = spelling(Executor);
  if (ViaObject)
    Plan.Executor += Executor->getType()->isPointerType() ? "->get_executor()"
                                                          : ".get_executor()";
  for (const Expr *Hop : Hops)
    if (spelling(Hop) != Plan.Executor) {
      Why = "the chain hops to executor '" + spelling(Hop) +
            "', not the one it starts on ('" + Plan.Executor + "')";
      return false;
    }

  const auto *M = dyn_cast<CXXMethodDecl>(F);
  Plan.CaptureSelf = M && sharesOwnership(M->getParent());
  if (Plan.CaptureSelf)
    dropKeepers(Plan);
  // When the first operation starts: co_spawn posted the coroutine's first
  // step until Asio 1.22 (Boost 1.78), so the operation started on a later
  // turn of the executor, after whatever was queued there already (a write
  // queue's posted close() overtakes the first write). From Asio 1.22 it
  // dispatches: inside the call, when the call runs on that executor.
  // Boost's version is always there (Asio's config includes it); the
  // standalone library's only with <asio.hpp> or <asio/version.hpp>.
  bool Boost = Library == "boost::asio";
  const char *Macro = Boost ? "BOOST_VERSION" : "ASIO_VERSION";
  std::optional<unsigned> Version = macroNumber(Macro);
  if (!Version || *Version < (Boost ? 107800u : 102200u)) {
    // Both macros read XXYYZZ: major, minor, patch.
    std::string Which =
        !Version ? std::string("this Asio (") + Macro +
                       " unknown: include <asio/version.hpp>)"
                 : std::string(Boost ? "Boost " : "Asio ") +
                       std::to_string(*Version / 100000) + "." +
                       std::to_string(*Version / 100 % 1000) + "." +
                       std::to_string(*Version % 100);
    Plan.lower(Confidence::Risky,
               "with " + Which + ", co_spawn posts the coroutine: its first "
               "operation would start on a later turn of the executor, after "
               "work already queued there, not inside the call as before "
               "(Asio 1.22 and Boost 1.78 dispatch it)");
  } else {
    Plan.lower(Confidence::Reasonable,
               "the first operation starts inside the call when '" +
                   qualifiedName(F) + "' is called from a handler running on "
                   "the executor; called from anywhere else (before run(), "
                   "another thread), it starts on a later turn of the "
                   "executor");
  }
  Plan.SpawnFrom = spawnFrom(Plan);
  return true;
}

bool Finder::dropKeepers(FunctionPlan &Plan) {
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

void Finder::planKeepAlive(FunctionPlan &Plan) {
  // The callback code kept the object alive from one handler to the next
  // (each owned it until the next took over); a coroutine is one frame, so
  // it owns the object from its start to its end -- before any loop, never
  // inside one, where the owner would die at each `continue`.
  const auto *M = dyn_cast<CXXMethodDecl>(Plan.Function);
  if (Plan.Asio || Plan.Lambda || !M || !sharesOwnership(M->getParent()) ||
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

std::optional<unsigned> Finder::macroNumber(llvm::StringRef Name) const {
  if (!PP)
    return std::nullopt;
  const MacroInfo *MI = PP->getMacroInfo(PP->getIdentifierInfo(Name));
  if (!MI || MI->isFunctionLike() || MI->getNumTokens() != 1 ||
      MI->getReplacementToken(0).isNot(tok::numeric_constant))
    return std::nullopt;
  unsigned Value;
  if (llvm::StringRef(PP->getSpelling(MI->getReplacementToken(0)))
          .getAsInteger(10, Value))
    return std::nullopt;
  return Value;
}

const Stmt *Finder::spawnFrom(const FunctionPlan &Plan) {
  // What the function does before its first operation stays in the call,
  // as before, when it can: one chain, started by a statement of the
  // function's own body, after statements that declare nothing the
  // coroutine could need and cannot return.
  const FunctionDecl *F = Plan.Function;
  if (Plan.LoopHeads.count(F) || Plan.Roots.size() != 1)
    return nullptr;
  const auto *Body = cast<CompoundStmt>(F->getBody());
  const Stmt *First = Plan.Roots.front().Statement;
  auto At = llvm::find(Body->body(), First);
  if (At == Body->body_end() || At == Body->body_begin())
    return nullptr;
  // No return, and no dropped `auto self(shared_from_this());` named again.
  auto Ok = [&](const Stmt &S) {
    if (isa<ReturnStmt>(S))
      return false;
    const auto *R = dyn_cast<DeclRefExpr>(&S);
    return !R || llvm::none_of(Plan.DroppedStatements, [&](const Stmt *D) {
             const VarDecl *V = selfKeeper(D);
             return V && V == R->getDecl();
           });
  };
  for (auto It = Body->body_begin(); It != At; ++It) {
    if (Plan.DroppedStatements.count(*It))
      continue;
    if (isa<DeclStmt>(*It) || !walk(*It, Ok, Lambdas::Skip))
      return nullptr;
  }
  // Nothing to keep but a dropped self keeper: the whole body is spawned.
  bool Kept = std::any_of(Body->body_begin(), At, [&](const Stmt *S) {
    return !Plan.DroppedStatements.count(S);
  });
  return Kept ? First : nullptr;
}

} // namespace awaitify::detail
