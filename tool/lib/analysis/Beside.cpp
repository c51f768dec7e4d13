//===- Beside.cpp - Operations that run beside a chain --------------------===//
//
// A function that starts a chain may first start another operation, not in
// tail position, whose callback starts nothing more -- a watchdog:
//
//   void ticker::start() {
//     watchdog_.expires_after(10s);
//     watchdog_.async_wait([this](error_code ec) { ...report... });
//     tick(0);
//   }
//
// Code after the call runs before its callback does, so the call is not a
// step of the chain. Its callback becomes a coroutine of its own instead,
// spawned where the call was, as one writes it by hand:
//
//   co_spawn(watchdog_.get_executor(), watchdog_wait(), rethrow);
//
// What stays: the callback's code runs once the operation completes, with
// the copies it captured (now the coroutine's parameters, copied at the
// same point); an exception that escapes it leaves the executor's run().
// What may move is when the operation starts, which the dialect rates as
// for the chain: so nothing after the call in the function may name what
// the call reads (its object, its arguments).
//
//===----------------------------------------------------------------------===//
#include "analysis/Finder.h"
#include "analysis/Handlers.h"
#include "dialect/Dialect.h"
#include "plan/Naming.h"
#include "support/Ast.h"
#include "support/Walk.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace awaitify::detail {

/// Whether statement \p S is, or holds, one of the chain's root statements.
static bool holdsRoot(const FunctionPlan &Plan, const Stmt *S) {
  return llvm::any_of(Plan.Roots, [&](const Step &R) {
    return !walk(S, [&](const Stmt &N) { return &N != R.Statement; });
  });
}

/// Whether each use of \p V in \p Body only reads its value (a scalar
/// loaded, never bound to a reference): a const copy and a plain one
/// behave the same there.
static bool onlyValueRead(const Stmt *Body, const VarDecl *V) {
  llvm::SmallPtrSet<const Stmt *, 8> Loaded;
  bool Ok = true;
  walk(Body, [&](const Stmt &S) {
    if (const auto *C = dyn_cast<ImplicitCastExpr>(&S);
        C && C->getCastKind() == CK_LValueToRValue)
      Loaded.insert(C->getSubExpr()->IgnoreParens());
    if (const auto *R = dyn_cast<DeclRefExpr>(&S); R && R->getDecl() == V)
      Ok &= Loaded.count(R) != 0;
    return Ok;
  });
  return Ok;
}

/// The declaration \p S names: a variable's, a member's.
static const Decl *named(const Stmt &S) {
  if (const auto *R = dyn_cast<DeclRefExpr>(&S))
    return R->getDecl();
  if (const auto *M = dyn_cast<MemberExpr>(&S))
    return M->getMemberDecl();
  return nullptr;
}

std::optional<std::string> Finder::besideProblem(const FunctionPlan &Plan,
                                                 BesideOp &B) {
  const Step &S = B.S;
  const LambdaExpr *L = S.Continuation;
  const FunctionDecl *F = Plan.Function;
  // A single callback: nothing in it starts an operation or hops.
  const CallExpr *Starts = nullptr;
  walk(S.body(), [&](const Stmt &N) {
    const auto *C = dyn_cast<CallExpr>(&N);
    const FunctionDecl *Callee = C ? C->getDirectCallee() : nullptr;
    const Expr *Executor = nullptr;
    if (Callee && (ruleFor(Callee) ||
                   llvm::any_of(dialects(), [&](const Dialect *D) {
                     return D->executorHop(C, Executor) != nullptr;
                   })))
      Starts = C;
    return !Starts;
  });
  if (Starts)
    return "its callback starts another operation ('" +
           qualifiedName(Starts->getDirectCallee()) + "')";
  if (auto Why = Plan.D->besideProblem(S))
    return Why;

  // The captures become the coroutine's parameters: copies of variables,
  // and `this`.
  llvm::SmallPtrSet<const VarDecl *, 4> Captured;
  for (const LambdaCapture &C : L->captures()) {
    if (C.capturesThis()) {
      if (C.getCaptureKind() == LCK_StarThis)
        return std::string("its callback captures '*this' by copy");
      continue;
    }
    const auto *V = C.capturesVariable()
                        ? dyn_cast<VarDecl>(C.getCapturedVar())
                        : nullptr;
    if (!V)
      return std::string("its callback captures an array of runtime size");
    if (C.getCaptureKind() == LCK_ByRef)
      return "its callback captures " + label(V) + " by reference";
    QualType T = V->getType().getNonReferenceType();
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (RD && (RD->isLambda() || RD->isLocalClass()))
      return "the type of " + label(V) +
             " has no name the coroutine's parameter could be declared with";
    bool Dropped = Plan.DroppedInitCaptures.count(V) ||
                   llvm::any_of(Plan.DroppedStatements, [&](const Stmt *D) {
                     return selfKeeper(D) == V;
                   });
    if (Dropped)
      return "its callback captures " + label(V) +
             ", which the chain's coroutine replaces with its own owner";
    Captured.insert(V);
    bool Const = !L->isMutable() && !onlyValueRead(S.body(), V);
    B.Params.push_back(
        {V, Const, L->isInitCapture(&C) ? V->getInit() : nullptr});
  }

  // The call and its callback move into the coroutine: they may name the
  // variables captured (the coroutine's parameters), not other locals of
  // the function.
  // (An init-capture's initializer is the spawn's argument: it is
  // evaluated in the function, as before.)
  llvm::SmallPtrSet<const Stmt *, 8> InInits;
  for (const BesideOp::Param &P : B.Params)
    if (P.Init)
      walk(P.Init, [&](const Stmt &N) { return InInits.insert(&N), true; });
  const VarDecl *Local = nullptr;
  walk(S.Call, [&](const Stmt &N) {
    const auto *R = dyn_cast<DeclRefExpr>(&N);
    const auto *V = R ? dyn_cast<VarDecl>(R->getDecl()) : nullptr;
    if (V && (V->isLocalVarDeclOrParm() || V->isStaticLocal()) &&
        !Captured.count(V) && !InInits.count(R) &&
        !contains(SM, L->getSourceRange(), V->getLocation()))
      Local = V;
    return !Local;
  });
  if (Local)
    return "it names " + label(Local) + ", a local of '" + qualifiedName(F) +
           "' that the callback does not capture";

  // When the function is not called from a handler on the object's
  // executor, the operation starts after the code that follows the call:
  // that code must not name what the call reads -- members and variables
  // that are not the callback's copies (those are taken at the call).
  llvm::SmallPtrSet<const Decl *, 8> Read;
  walk(
      S.Call,
      [&](const Stmt &N) {
        const Decl *D = named(N);
        const auto *V = dyn_cast_or_null<VarDecl>(D);
        if ((V && !V->isLocalVarDeclOrParm()) ||
            isa_and_nonnull<FieldDecl>(D))
          Read.insert(D);
        return true;
      },
      [&](const LambdaExpr &Inner) { return &Inner != L; });
  const auto *Body = cast<CompoundStmt>(F->getBody());
  auto After = std::next(llvm::find(Body->body(), S.Statement));
  const NamedDecl *Touched = nullptr;
  for (auto It = After; It != Body->body_end() && !Touched; ++It)
    walk(
        *It,
        [&](const Stmt &N) {
          const Decl *D = named(N);
          if (D && Read.count(D))
            Touched = cast<NamedDecl>(D);
          return !Touched;
        },
        // A continuation of the chain runs after the chain's first await.
        [&](const LambdaExpr &Inner) { return !Plan.Flattened.count(&Inner); });
  if (Touched)
    return "'" + Touched->getNameAsString() + "', which the call reads, is "
           "named again after it in '" + qualifiedName(F) + "': where the "
           "operation would start later (the function not called from a "
           "handler on its executor), that code would run first";
  return std::nullopt;
}

void Finder::findBeside(FunctionPlan &Plan) {
  if (Plan.Lambda || !Plan.D->spawnsBeside())
    return;
  const FunctionDecl *F = Plan.Function;
  const auto *Body = cast<CompoundStmt>(F->getBody());
  llvm::SmallVector<std::string, 4> Names{Plan.Coroutine};
  for (const Stmt *Child : Body->body()) {
    if (holdsRoot(Plan, Child))
      break;
    const CallExpr *Call = statementCall(Child);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    const ApiRule *Rule = Callee ? ruleFor(Callee) : nullptr;
    if (!Rule || findDialect(Rule->Await) != Plan.D ||
        inMacro(Call->getBeginLoc()) || inMacro(Call->getEndLoc()))
      continue;
    unsigned Written = writtenArgs(Call);
    unsigned Index = Rule->CallbackIndex.value_or(Written ? Written - 1 : 0);
    const LambdaExpr *L =
        Index < Written ? lambdaArgument(Call->getArg(Index)) : nullptr;
    if (!L)
      continue; // not in tail position, and nothing else to say
    auto Refuse = [&](const std::string &Why) {
      SeenCalls.insert(Call);
      skip(Call->getBeginLoc(), F,
           "the call of '" + Rule->Name + "' is not in tail position, and "
           "its callback cannot run beside the chain in a coroutine of its "
           "own: " + Why);
    };
    if (auto Why = continuationProblem(L, Call, Ctx)) {
      Refuse("the callback " + *Why);
      continue;
    }
    BesideOp B;
    B.S.K = Step::Await;
    B.S.Call = Call;
    B.S.Statement = Child;
    B.S.CallbackArg = Call->getArg(Index);
    B.S.Continuation = L;
    B.S.Rule = Rule;
    B.S.Callee = Rule->Name;
    if (auto Why = besideProblem(Plan, B)) {
      Refuse(*Why);
      continue;
    }
    B.Coroutine = besideName(F, B.S, Names, Ctx);
    Names.push_back(B.Coroutine);
    SeenCalls.insert(Call);
    Plan.Flattened.insert(L);
    Plan.lower(Confidence::Reasonable,
               "the callback of '" + Rule->Name + "' on line " +
                   std::to_string(SM.getSpellingLineNumber(
                       SM.getFileLoc(Call->getBeginLoc()))) +
                   " runs in a coroutine of its own ('" + B.Coroutine +
                   "'), spawned where the call was: its operation starts "
                   "inside the call when '" + qualifiedName(F) +
                   "' is called from a handler running on that operation's "
                   "executor, else after the code that follows the call");
    Plan.Beside.push_back(std::move(B));
  }
}

} // namespace awaitify::detail
