//===- Steps.cpp - Find the steps of a chain ------------------------------===//
//
// From each statement in tail position: a completion call whose callback is
// a lambda or a bound handler (an await step), a tail call of a sibling
// handler or an executor hop (a handler step), and, recursively, the steps
// in the continuation's body -- until the chain stops, and why.
//
//===----------------------------------------------------------------------===//
#include "analysis/Finder.h"
#include "analysis/Handlers.h"
#include "dialect/Dialect.h"
#include "support/Ast.h"
#include "support/Walk.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace awaitify::detail {

/// What a body has that a flattened body may not: a label, or a macro whose
/// expansion leaves the body (`return`, `goto`, or a `break`/`continue` of
/// no loop inside it) -- the rewrite turns each `return;` into `co_return;`
/// and cannot reach into a macro. (`return f(x);` is fine: it becomes
/// `f(x); co_return;`.)
static std::optional<std::string> bodyProblem(const CompoundStmt *Body,
                                              const ASTContext &Ctx) {
  struct BodyCheck : RecursiveASTVisitor<BodyCheck> {
    const ASTContext &Ctx;
    std::optional<std::string> Bad;
    unsigned Loops = 0; // loops and switches entered inside the body
    explicit BodyCheck(const ASTContext &Ctx) : Ctx(Ctx) {}
    bool VisitLabelStmt(LabelStmt *) {
      Bad = "declares a label";
      return false;
    }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
    bool TraverseStmt(Stmt *S) {
      if (!S)
        return true;
      bool Loop = isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S) ||
                  isa<CXXForRangeStmt>(S) || isa<SwitchStmt>(S);
      Loops += Loop;
      if ((isa<ReturnStmt>(S) || isa<GotoStmt>(S) ||
           ((isa<BreakStmt>(S) || isa<ContinueStmt>(S)) && Loops == 0)) &&
          S->getBeginLoc().isMacroID()) {
        llvm::StringRef Macro = Lexer::getImmediateMacroNameForDiagnostics(
            S->getBeginLoc(), Ctx.getSourceManager(), Ctx.getLangOpts());
        const char *What = isa<ReturnStmt>(S)  ? "returns"
                           : isa<GotoStmt>(S)    ? "jumps with goto"
                           : isa<BreakStmt>(S)   ? "breaks"
                                                 : "continues";
        Bad = "uses macro '" + Macro.str() + "', whose expansion " + What +
              " out of it: the rewrite cannot change what a macro expands "
              "to (a `return;` must become `co_return;`)";
        return false;
      }
      bool Ok = RecursiveASTVisitor::TraverseStmt(S);
      Loops -= Loop;
      return Ok;
    }
  } Check(Ctx);
  Check.TraverseStmt(const_cast<CompoundStmt *>(Body));
  return Check.Bad;
}

/// Whether a value of type \p T is a callback: something callable that
/// returns void -- a function pointer, a lambda, std::function<void(...)>, a
/// class with such a call operator. (Callables that return something, such
/// as Asio's match and connect conditions, are not callbacks.)
static bool isCallback(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *P = T->getAs<PointerType>())
    T = P->getPointeeType();
  if (const auto *F = T->getAs<FunctionType>())
    return F->getReturnType()->isVoidType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  for (const CXXRecordDecl *C = RD; C;) {
    for (const CXXMethodDecl *M : C->methods())
      if (M->getOverloadedOperator() == OO_Call &&
          M->getReturnType()->isVoidType())
        return true;
    if (C->getNumBases() != 1)
      break;
    C = C->bases_begin()->getType()->getAsCXXRecordDecl();
  }
  return false;
}

bool onThis(const CallExpr *Call) {
  if (const auto *M = dyn_cast<CXXMemberCallExpr>(Call)) {
    const Expr *Object = M->getImplicitObjectArgument()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Object))
      return true;
    const auto *Arrow = dyn_cast<CXXOperatorCallExpr>(Object);
    return Arrow && Arrow->getOperator() == OO_Arrow &&
           Arrow->getNumArgs() == 1 && ownsObject(Arrow->getArg(0));
  }
  return !isa<CXXOperatorCallExpr>(Call);
}

std::optional<std::string>
Finder::dependentOperation(const CallExpr *Call) {
  const Expr *E = Call->getCallee()->IgnoreParenImpCasts();
  auto FromDecls = [&](const OverloadExpr *O) -> std::optional<std::string> {
    for (const NamedDecl *D : O->decls()) {
      D = D->getUnderlyingDecl();
      const FunctionDecl *F = dyn_cast<FunctionDecl>(D);
      if (const auto *T = dyn_cast<FunctionTemplateDecl>(D))
        F = T->getTemplatedDecl();
      if (F)
        if (const ApiRule *R = ruleFor(F))
          return R->Name;
    }
    return std::nullopt;
  };
  if (const auto *O = dyn_cast<OverloadExpr>(E))
    return FromDecls(O);
  if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(E))
    if (M->getMember().isIdentifier())
      if (Rules.lookupMember(M->getMember().getAsIdentifierInfo()->getName()))
        return M->getMember().getAsString();
  return std::nullopt;
}

std::optional<Step> Finder::recognize(const TailSite &Site, unsigned Depth,
                                      FunctionState &St) {
  const CallExpr *Call = statementCall(Site.S);
  if (!Call)
    return std::nullopt;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee) {
    // In a template, a call that may be an operation once instantiated
    // (`stream().async_read_some(...)` on a dependent type) says why it is
    // left alone (in the main file: library headers are full of them).
    const auto *M = dyn_cast<CXXMethodDecl>(St.F);
    bool GenericLambda = M && M->getParent()->isLambda(); // said already
    if (St.F->isDependentContext() && !GenericLambda &&
        SM.isInMainFile(SM.getFileLoc(Call->getBeginLoc())))
      if (auto Name = dependentOperation(Call)) {
        skip(Call->getBeginLoc(), St.F,
             "the function is a template and '" + *Name + "' is called on "
             "a type that depends on its parameters: awaitify rewrites only "
             "code whose callees and types it can resolve");
      }
    return std::nullopt;
  }
  SeenCalls.insert(Call);
  // Handlers that are loop heads are followed from every place they are
  // reached; a tangle of them is not followed without end.
  if (++St.Visits > FunctionState::MaxVisits)
    return std::nullopt;
  if (inMacro(Call->getBeginLoc()) || inMacro(Call->getEndLoc()) ||
      inMacro(Site.S->getBeginLoc())) {
    if (const ApiRule *Rule = ruleFor(Callee))
      skip(SM.getExpansionLoc(Call->getBeginLoc()), St.F,
           "the call of '" + Rule->Name + "' is spelled through a macro "
           "expansion");
    return std::nullopt;
  }
  if (St.F->isDependentContext()) {
    if (ruleFor(Callee))
      skip(Call->getBeginLoc(), St.F,
           isLambdaCallOperator(St.F)
               ? "the lambda is generic (auto parameters): awaitify "
                 "rewrites one only as a callback of a chain, in the one "
                 "specialization the API instantiates"
               : "the function is a template: awaitify rewrites only code "
                 "whose callees and types it can resolve");
    return std::nullopt;
  }

  Step S;
  S.Call = Call;
  S.Statement = Site.S;
  S.Depth = Depth;
  S.ArmOf = Site.ArmOf;
  S.Ender = Site.Ender;
  S.CaseBegin = Site.CaseBegin;

  // An executor hop to a bound member: the chain goes on in it.
  for (const Dialect *D : dialects()) {
    const Expr *Executor = nullptr;
    const FunctionDecl *H = D->executorHop(Call, Executor);
    if (H && isHandlerCandidate(H, St.F, SM)) {
      S.K = Step::HandlerCall;
      S.Hop = D;
      S.HopExecutor = Executor;
      S.Callee = qualifiedName(Callee);
      return handlerStep(std::move(S), H, Depth, St, Site.Conditional);
    }
  }

  if (const ApiRule *Rule = ruleFor(Callee))
    return awaitStep(std::move(S), Site, Rule, Depth, St);
  // A tail call of a sibling handler: inline it, or loop back to it.
  if (isHandlerCandidate(Callee, St.F, SM) && onThis(Call)) {
    S.K = Step::HandlerCall;
    S.Callee = qualifiedName(Callee);
    return handlerStep(std::move(S), Callee, Depth, St, Site.Conditional);
  }
  return std::nullopt;
}

std::optional<std::string> continuationProblem(const LambdaExpr *L,
                                               const CallExpr *Call,
                                               const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const CompoundStmt *Body = L->getCompoundStmtBody();
  if (inMacro(L->getBeginLoc()) || inMacro(Body->getLBracLoc()) ||
      inMacro(Body->getRBracLoc()))
    return std::string("is spelled through a macro expansion");
  if (SM.getFileID(SM.getFileLoc(Call->getBeginLoc())) !=
      SM.getFileID(SM.getFileLoc(Body->getRBracLoc())))
    return std::string("spans several files");
  // A generic lambda runs as the one specialization the API instantiates
  // (or as any of several that do the same): its parameters have the types
  // the completion passes.
  const CXXMethodDecl *Op = runOperator(L);
  if (!Op) {
    size_t N = runSpecializations(L).size();
    return "is generic (auto parameters) and instantiated " +
           (N ? std::to_string(N) + " times, with parameter types or calls "
                                    "that differ"
              : std::string("never")) +
           ": no one set of types is the one it runs with";
  }
  Body = cast<CompoundStmt>(Op->getBody());
  if (!Op->getReturnType()->isVoidType())
    return std::string("returns a value");
  if (isa<CoroutineBodyStmt>(Op->getBody()))
    return std::string("is itself a coroutine");
  for (const ParmVarDecl *P : Op->parameters())
    if (P->isParameterPack() || inMacro(P->getBeginLoc()))
      return std::string(
          "has a parameter pack or a parameter spelled by a macro");
  return bodyProblem(Body, Ctx);
}

std::optional<Step> Finder::awaitStep(Step S, const TailSite &Site,
                                      const ApiRule *Rule, unsigned Depth,
                                      FunctionState &St) {
  const CallExpr *Call = S.Call;
  unsigned NumWritten = writtenArgs(Call);
  unsigned Index = Rule->CallbackIndex.value_or(NumWritten ? NumWritten - 1 : 0);
  if (Index >= NumWritten) {
    skip(Call->getBeginLoc(), St.F,
         "the rule for '" + Rule->Name + "' names callback parameter " +
             std::to_string(Index) + ", but the call has " +
             std::to_string(NumWritten) + " arguments");
    return std::nullopt;
  }
  const Expr *Arg = Call->getArg(Index);
  // A completion API calls its one callback exactly once. A second callable
  // argument (`fetch(key, on_ok, on_error)`) means only one of them runs: no
  // single co_await stands for the call, whatever the rule file says.
  for (unsigned I = 0; I != NumWritten; ++I)
    if (I != Index && isCallback(Call->getArg(I)->getType())) {
      skip(Call->getBeginLoc(), St.F,
           "'" + Rule->Name + "' takes a second callable argument (argument " +
               std::to_string(I + 1) + "): only one of its callbacks runs, so "
               "it is not a completion API and its rule does not apply");
      return std::nullopt;
    }
  S.K = Step::Await;
  S.CallbackArg = Arg;
  S.Rule = Rule;
  S.Callee = Rule->Name;
  if (inMacro(Arg->getBeginLoc()) || inMacro(Arg->getEndLoc())) {
    skip(Call->getBeginLoc(), St.F,
         "the callback of '" + Rule->Name + "' is spelled through a macro");
    return std::nullopt;
  }

  if (const FunctionDecl *H = boundHandler(Arg, &S.BoundArgs, &S.BoundLast)) {
    if (!isHandlerCandidate(H, St.F, SM)) {
      skip(Arg->getBeginLoc(), St.F,
           "the handler '" + qualifiedName(H) + "' bound for '" + Rule->Name +
               "' is not a plain void member defined in this file");
      return std::nullopt;
    }
    return handlerStep(std::move(S), H, Depth, St, Site.Conditional);
  }

  const LambdaExpr *L = lambdaArgument(Arg);
  if (!L) {
    skip(Arg->getBeginLoc(), St.F,
         "the callback of '" + Rule->Name +
             "' is not a lambda written at the call, nor a member bound to "
             "the object (it is stored or forwarded)");
    return std::nullopt;
  }
  if (auto Why = continuationProblem(L, Call, Ctx)) {
    skip(Call->getBeginLoc(), St.F,
         "the callback of '" + Rule->Name + "' " + *Why);
    return std::nullopt;
  }
  S.Continuation = L;
  llvm::SmallVector<TailSite, 4> Inner;
  collectTails(S.body(), /*InTail=*/true, Inner);
  recognizeAll(S.body(), Inner, Depth + 1, St, S.Next);
  return S;
}

std::optional<std::string>
Finder::namedElsewhere(const FunctionDecl *H) const {
  // An inlined handler goes away. Only this translation unit may name it:
  // references() counts the names in this one alone.
  auto InMain = [&](const Decl *D) {
    return SM.isInMainFile(SM.getFileLoc(D->getLocation()));
  };
  const auto *M = dyn_cast<CXXMethodDecl>(H);
  if (!M) {
    if (llvm::all_of(H->redecls(), InMain))
      return std::nullopt;
    return std::string("it is declared in a header, where other files may "
                       "call it");
  }
  const CXXRecordDecl *RD = M->getParent();
  if (InMain(RD))
    return std::nullopt; // the class exists in this file alone
  if (M->getAccess() != AS_private)
    return std::string("it is a non-private member of a class declared in a "
                       "header, which other files may call");
  if (RD->hasFriends())
    return std::string("its class, declared in a header, has friends, which "
                       "other files may define");
  // A private member is named only by the class's own members: every one of
  // them must be defined where awaitify can see it (here, or in a header).
  for (const Decl *D : RD->decls()) {
    const auto *Other = dyn_cast<FunctionDecl>(D);
    if (const auto *T = dyn_cast<FunctionTemplateDecl>(D))
      Other = T->getTemplatedDecl();
    if (!Other || Other->isImplicit() || Other->isDeleted() ||
        Other->isDefaulted() || Other->isPureVirtual())
      continue;
    if (!Other->isDefined())
      return "member '" + qualifiedName(Other) +
             "' of its class is defined in another file, which may call it";
  }
  return std::nullopt;
}

void Finder::stopAt(FunctionState &St, const FunctionDecl *H,
                    llvm::StringRef Why) {
  if (St.Stop.empty())
    St.Stop = "the chain stops at '" + qualifiedName(H) + "'" + Why.str();
}

std::string Finder::namedElsewhereToo(const FunctionDecl *H,
                                      const CallExpr *Site) const {
  // Where else the handler is named, by line.
  SourceLocation At = SM.getFileLoc(Site->getBeginLoc());
  unsigned Here = SM.getSpellingLineNumber(At);
  std::set<unsigned> Lines;
  for (SourceLocation L : Index.ReferenceSites.lookup(H->getCanonicalDecl())) {
    SourceLocation F = SM.getFileLoc(L);
    if (SM.isWrittenInSameFile(F, At) && SM.getSpellingLineNumber(F) != Here)
      Lines.insert(SM.getSpellingLineNumber(F));
  }
  std::string Out = ", which is named elsewhere too";
  if (!Lines.empty()) {
    Out = Lines.size() > 1 ? ", which is also named on lines "
                           : ", which is also named on line ";
    unsigned I = 0;
    for (unsigned L : Lines)
      Out += (I++ ? ", " : "") + std::to_string(L);
  }
  return Out + ": it stays a function of its own rather than be copied";
}

std::optional<Step> Finder::handlerStep(Step S, const FunctionDecl *H,
                                        unsigned Depth, FunctionState &St,
                                        bool Conditional) {
  H = H->getDefinition();
  S.Handler = H;
  for (const ParmVarDecl *P : H->parameters())
    if (P->isParameterPack() || inMacro(P->getBeginLoc()))
      return std::nullopt;
  if (llvm::is_contained(St.Path, H->getCanonicalDecl())) {
    S.BackEdge = true;
    return S;
  }
  // Inline a handler that nothing else names. One that is named elsewhere
  // too may still be inlined when every other naming is a loop back to it
  // from its own continuations: it is the head of a loop that this
  // function enters (`on_accept -> do_read -> on_read -> do_read`). Any
  // other handler reached from several places (or called from outside)
  // stays a function of its own, and the tail call stays a call -- for a
  // generic handler that is a coroutine of its own, started eagerly, as
  // before.
  // Before the first await, the function's caller sees what the function
  // does; a loop it enters only sometimes (a write queue's `if (idle)
  // do_write();`) stays a coroutine of its own.
  // The last of several calls that meet after their branch (Joins.cpp)
  // inlines the handler for all of them.
  bool Joining = St.Joining == H->getCanonicalDecl();
  unsigned Refs = Joining ? 1 : Index.references(H);
  if (Refs > 1 && (!St.EnterLoops || (Depth == 1 && Conditional))) {
    stopAt(St, H, namedElsewhereToo(H, S.Call));
    return std::nullopt;
  }
  if (auto Why = namedElsewhere(H)) {
    stopAt(St, H, ": " + *Why);
    return std::nullopt;
  }
  const auto *Body = cast<CompoundStmt>(H->getBody());
  if (inMacro(Body->getLBracLoc()) || inMacro(Body->getRBracLoc()))
    return std::nullopt;
  if (auto Bad = bodyProblem(Body, Ctx)) {
    stopAt(St, H, ": its body " + *Bad);
    return std::nullopt;
  }
  auto Outer = St.Path;
  std::string StopBefore = St.Stop;
  St.Path.push_back(H->getCanonicalDecl());
  llvm::SmallVector<TailSite, 4> Inner;
  collectTails(Body, /*InTail=*/true, Inner);
  recognizeAll(Body, Inner, Depth + (S.K == Step::Await), St, S.Next);
  St.Path.pop_back();
  if (Refs > 1) {
    // A loop entered here: its back edges must account for every other
    // naming, and none may leave it for a loop around it (a `continue`
    // would go to the wrong loop).
    unsigned Loops = 0;
    bool Leaves = false;
    forEachStep(S.Next, [&](const Step &N) {
      if (!N.BackEdge || !N.Handler)
        return;
      const FunctionDecl *To = N.Handler->getCanonicalDecl();
      if (To == H->getCanonicalDecl())
        ++Loops;
      else if (llvm::is_contained(Outer, To))
        Leaves = true;
    });
    if (Loops == 0 || Leaves || Refs != 1 + Loops) {
      St.Stop = std::move(StopBefore); // what stopped inside is moot
      stopAt(St, H, namedElsewhereToo(H, S.Call));
      return std::nullopt;
    }
  }
  // A plain tail call of a function that awaits nothing is just a call.
  if (S.K == Step::HandlerCall && S.Next.empty())
    return std::nullopt;
  return S;
}

} // namespace awaitify::detail
