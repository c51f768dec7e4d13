//===- ChainFinder.cpp - Find callback chains ----------------------------===//
//
// For every function of the translation unit (outside system headers), the
// finder looks for completion calls in tail position whose continuation is a
// lambda, follows them into the lambdas' bodies, and decides whether the
// function can become a coroutine that awaits each step in turn:
//
//  * the function: returns void, is not main, a constructor, virtual, variadic
//    or a template, its address is not taken, it is not already a coroutine,
//    and (a lambda) it captures nothing -- a coroutine lambda's captures live
//    in the closure object, which may be destroyed while it is suspended;
//  * each continuation: returns void, is not generic, not a coroutine, has no
//    labels, and is not spelled by a macro;
//  * captures keep their meaning: a by-copy capture that the callee may also
//    modify, or that the body moves from, lowers the confidence; a reference
//    parameter that a continuation copies becomes a by-value parameter (when
//    it is const) or stops the rewrite (when it is not);
//  * declarations that flattening moves into an enclosing scope are renamed
//    when they would collide with, or shadow, another name there.
//
// What it decides goes into a FunctionPlan; ChainRewriter.cpp spells it out.
// The checks live in Safety.cpp, the naming in Naming.cpp (see Finder.h).
//
//===----------------------------------------------------------------------===//
#include "Finder.h"
#include "Handlers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Format/Format.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"
#include <deque>
#include <map>
#include <functional>

using namespace clang;

namespace awaitify {
namespace detail {

std::string qualifiedName(const NamedDecl *D) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  if (!D->getIdentifier())
    return "";
  Parts.push_back(D->getName());
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isAnonymousNamespace() || NS->isInline())
        continue;
      Parts.push_back(NS->getName());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (RD->getName().empty())
        continue;
      Parts.push_back(RD->getName());
    } else if (isa<TranslationUnitDecl>(DC) || isa<LinkageSpecDecl>(DC) ||
               isa<ExportDecl>(DC)) {
      continue;
    } else {
      return ""; // declared inside a function: no rule can name it
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    if (!Out.empty())
      Out += "::";
    Out += *It;
  }
  return Out;
}

const LambdaExpr *lambdaArgument(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      return L;
    if (const auto *C = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = C->getSubExpr();
      continue;
    }
    if (const auto *C = dyn_cast<CXXConstructExpr>(E)) {
      if (C->getNumArgs() != 1)
        return nullptr;
      E = C->getArg(0);
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

const CompoundStmt *Step::body() const {
  if (Continuation)
    return Continuation->getCompoundStmtBody();
  return cast<CompoundStmt>(Handler->getBody());
}

llvm::ArrayRef<ParmVarDecl *> Step::params() const {
  if (Continuation)
    return Continuation->getCallOperator()->parameters();
  return Handler->parameters().drop_front(BoundArgs.size());
}

unsigned FunctionPlan::depth() const {
  // Awaits on the longest path; a call into a handler is not a step of its
  // own.
  std::function<unsigned(const Step &)> Longest = [&](const Step &S) {
    unsigned Best = 0;
    for (const Step &N : S.Next)
      Best = std::max(Best, Longest(N));
    return (S.K == Step::Await ? 1 : 0) + Best;
  };
  unsigned Best = 0;
  for (const Step &R : Roots)
    Best = std::max(Best, Longest(R));
  return Best;
}

} // namespace detail

namespace detail {

namespace {
/// Visits every function and lambda outside system headers and remembers
/// what the analysis of a single function needs from the whole TU.
class Collector : public RecursiveASTVisitor<Collector> {
public:
  explicit Collector(const SourceManager &SM) : SM(SM) {}

  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return true;
    const auto *F = dyn_cast_or_null<FunctionDecl>(D);
    if (F)
      Enclosing.push_back(F);
    bool Ok = RecursiveASTVisitor::TraverseDecl(D);
    if (F)
      Enclosing.pop_back();
    return Ok;
  }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    Enclosing.push_back(L->getCallOperator());
    bool Ok = RecursiveASTVisitor::TraverseLambdaExpr(L);
    Enclosing.pop_back();
    return Ok;
  }
  bool VisitFunctionDecl(FunctionDecl *F) {
    if (F->doesThisDeclarationHaveABody() && !isLambdaCallOperator(F))
      Functions.push_back(F);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    Lambdas.push_back(L);
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    if (const auto *R =
            dyn_cast<DeclRefExpr>(C->getCallee()->IgnoreParenImpCasts()))
      CalleeRefs.insert(R);
    unsigned N = writtenArgs(C);
    if (N && C->getDirectCallee() &&
        (lambdaArgument(C->getArg(N - 1)) || boundHandler(C->getArg(N - 1))))
      CallbackCalls.push_back(
          {C, Enclosing.empty() ? nullptr : Enclosing.back()});
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *F = dyn_cast<FunctionDecl>(E->getDecl())) {
      FunctionRefs.push_back({E, F});
      ReferenceSites[F->getCanonicalDecl()].push_back(E->getLocation());
    }
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (const auto *F = dyn_cast<FunctionDecl>(E->getMemberDecl())) {
      ReferenceSites[F->getCanonicalDecl()].push_back(E->getMemberLoc());
    }
    return true;
  }

  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<SourceLocation, 2>>
      ReferenceSites;
  std::vector<const FunctionDecl *> Functions;
  std::vector<const LambdaExpr *> Lambdas;
  std::vector<std::pair<const CallExpr *, const FunctionDecl *>> CallbackCalls;
  std::vector<const FunctionDecl *> Enclosing;
  llvm::SmallPtrSet<const DeclRefExpr *, 32> CalleeRefs;
  std::vector<std::pair<const DeclRefExpr *, const FunctionDecl *>>
      FunctionRefs;

private:
  const SourceManager &SM;
};
} // namespace

const ApiRule *Finder::ruleFor(const FunctionDecl *Callee) {
  Callee = Callee->getCanonicalDecl();
  auto [It, Inserted] = RuleCache.try_emplace(Callee, nullptr);
  if (!Inserted)
    return It->second;
  const FunctionDecl *Pattern = Callee;
  if (const FunctionDecl *P = Callee->getTemplateInstantiationPattern())
    Pattern = P;
  const ApiRule *Rule = Rules.lookup(qualifiedName(Pattern));
  if (!Rule) {
    for (const FunctionDecl *D : Pattern->redecls())
      for (const auto *A : D->specific_attrs<AnnotateAttr>())
        if (A->getAnnotation() == CompletionAnnotation ||
            A->getAnnotation() == LaterCompletionAnnotation) {
          ApiRule R;
          R.Name = qualifiedName(Pattern);
          R.CompletesLater = A->getAnnotation() == LaterCompletionAnnotation;
          R.Origin = "[[clang::annotate]]";
          AnnotationRules.push_back(std::move(R));
          Rule = &AnnotationRules.back();
          break;
        }
  }
  RuleCache[Callee] = Rule;
  return Rule;
}

Location Finder::locate(SourceLocation L) const {
  Location Loc;
  Loc.Loc = L;
  SourceLocation F = SM.getFileLoc(L);
  if (F.isInvalid())
    return Loc;
  if (auto Entry = SM.getFileEntryRefForID(SM.getFileID(F))) {
    llvm::SmallString<256> Path(Entry->getName());
    SM.getFileManager().makeAbsolutePath(Path);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    Loc.File = std::string(Path);
  }
  Loc.Line = SM.getSpellingLineNumber(F);
  Loc.Column = SM.getSpellingColumnNumber(F);
  Loc.Offset = SM.getFileOffset(F);
  return Loc;
}

void Finder::skip(SourceLocation L, const FunctionDecl *F, std::string Reason) {
  if (!SkipsSeen.insert({L.getRawEncoding(), Reason}).second)
    return; // said already (a call is seen from each function around it)
  LeftAlone S;
  S.Where = locate(L);
  // Inside a lambda, name the function the user wrote it in.
  const DeclContext *DC = F;
  while (DC && (isa<CXXRecordDecl>(DC) ||
                (isa<FunctionDecl>(DC) &&
                 isLambdaCallOperator(cast<FunctionDecl>(DC)))))
    DC = DC->getParent();
  if (const auto *Named = dyn_cast_or_null<FunctionDecl>(DC))
    S.Function = qualifiedName(Named);
  else if (F)
    S.Function = "(lambda)";
  S.Reason = std::move(Reason);
  Out.Skipped.push_back(std::move(S));
}

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

/// Whether a member call is on `this` (implicitly or explicitly).
static bool onThis(const CallExpr *Call) {
  if (const auto *M = dyn_cast<CXXMemberCallExpr>(Call))
    return isa<CXXThisExpr>(M->getImplicitObjectArgument()->IgnoreParenImpCasts());
  return !isa<CXXOperatorCallExpr>(Call);
}

std::optional<Step> Finder::recognize(const TailSite &Site, unsigned Depth,
                                      const FunctionDecl *Enclosing,
                                      HandlerPath &Path) {
  const CallExpr *Call = statementCall(Site.S);
  if (!Call)
    return std::nullopt;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return std::nullopt;
  SeenCalls.insert(Call);
  // Handlers that are loop heads are followed from every place they are
  // reached; a tangle of them is not followed without end.
  if (++Visits > MaxVisits)
    return std::nullopt;
  if (inMacro(Call->getBeginLoc()) || inMacro(Call->getEndLoc()) ||
      inMacro(Site.S->getBeginLoc())) {
    if (const ApiRule *Rule = ruleFor(Callee))
      skip(SM.getExpansionLoc(Call->getBeginLoc()), Enclosing,
           "the call of '" + Rule->Name + "' is spelled through a macro "
           "expansion");
    return std::nullopt;
  }
  if (Enclosing->isDependentContext()) {
    if (ruleFor(Callee))
      skip(Call->getBeginLoc(), Enclosing,
           "the function is a template: awaitify rewrites only code whose "
           "callees and types it can resolve");
    return std::nullopt;
  }

  Step S;
  S.Call = Call;
  S.Statement = Site.S;
  S.Depth = Depth;
  S.ArmOf = Site.ArmOf;

  // An executor hop to a bound member: the chain goes on in it.
  const Expr *HopExecutor = nullptr;
  if (const FunctionDecl *H = executorHop(Call, HopExecutor);
      H && isHandlerCandidate(H, Enclosing, SM)) {
    S.K = Step::HandlerCall;
    S.Callee = qualifiedName(Callee);
    return handlerStep(std::move(S), H, Depth, Enclosing, Path,
                       Site.Conditional);
  }

  const ApiRule *Rule = ruleFor(Callee);
  if (!Rule) {
    // A tail call of a sibling handler: inline it, or loop back to it.
    if (isHandlerCandidate(Callee, Enclosing, SM) && onThis(Call)) {
      S.K = Step::HandlerCall;
      S.Callee = qualifiedName(Callee);
      return handlerStep(std::move(S), Callee, Depth, Enclosing, Path,
                         Site.Conditional);
    }
    return std::nullopt;
  }

  unsigned NumWritten = writtenArgs(Call);
  unsigned Index = Rule->CallbackIndex.value_or(NumWritten ? NumWritten - 1 : 0);
  if (Index >= NumWritten) {
    skip(Call->getBeginLoc(), Enclosing,
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
      skip(Call->getBeginLoc(), Enclosing,
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
    skip(Call->getBeginLoc(), Enclosing,
         "the callback of '" + Rule->Name + "' is spelled through a macro");
    return std::nullopt;
  }

  if (const FunctionDecl *H = boundHandler(Arg, &S.BoundArgs)) {
    if (!isHandlerCandidate(H, Enclosing, SM)) {
      skip(Arg->getBeginLoc(), Enclosing,
           "the handler '" + qualifiedName(H) + "' bound for '" + Rule->Name +
               "' is not a plain void member defined in this file");
      return std::nullopt;
    }
    return handlerStep(std::move(S), H, Depth, Enclosing, Path,
                       Site.Conditional);
  }

  const LambdaExpr *L = lambdaArgument(Arg);
  if (!L) {
    skip(Arg->getBeginLoc(), Enclosing,
         "the callback of '" + Rule->Name +
             "' is not a lambda written at the call, nor a member bound to "
             "the object (it is stored or forwarded)");
    return std::nullopt;
  }

  auto Reject = [&](const std::string &Why) -> std::optional<Step> {
    skip(Call->getBeginLoc(), Enclosing,
         "the callback of '" + Rule->Name + "' " + Why);
    return std::nullopt;
  };
  const CXXMethodDecl *Op = L->getCallOperator();
  const CompoundStmt *Body = L->getCompoundStmtBody();
  if (inMacro(L->getBeginLoc()) || inMacro(Body->getLBracLoc()) ||
      inMacro(Body->getRBracLoc()))
    return Reject("is spelled through a macro expansion");
  if (SM.getFileID(SM.getFileLoc(Call->getBeginLoc())) !=
      SM.getFileID(SM.getFileLoc(Body->getRBracLoc())))
    return Reject("spans several files");
  if (L->isGenericLambda())
    return Reject("is generic (auto parameters): the awaited types are not "
                  "written anywhere");
  if (!Op->getReturnType()->isVoidType())
    return Reject("returns a value");
  if (isa<CoroutineBodyStmt>(Op->getBody()))
    return Reject("is itself a coroutine");
  for (const ParmVarDecl *P : Op->parameters())
    if (P->isParameterPack() || inMacro(P->getBeginLoc()))
      return Reject("has a parameter pack or a parameter spelled by a macro");
  if (auto Bad = bodyProblem(Body, Ctx))
    return Reject(*Bad);

  S.Continuation = L;
  llvm::SmallVector<TailSite, 4> Inner;
  collectTails(Body, /*InTail=*/true, Inner);
  for (const TailSite &T : Inner)
    if (auto Next = recognize(T, Depth + 1, Enclosing, Path))
      S.Next.push_back(std::move(*Next));
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

void Finder::stopAt(const FunctionDecl *H, llvm::StringRef Why) {
  if (Stop.empty())
    Stop = "the chain stops at '" + qualifiedName(H) + "'" + Why.str();
}

std::string Finder::namedElsewhereToo(const FunctionDecl *H,
                                      const CallExpr *Site) const {
  // Where else the handler is named, by line.
  SourceLocation At = SM.getFileLoc(Site->getBeginLoc());
  unsigned Here = SM.getSpellingLineNumber(At);
  std::set<unsigned> Lines;
  for (SourceLocation L : ReferenceSites.lookup(H->getCanonicalDecl())) {
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
                                        unsigned Depth,
                                        const FunctionDecl *Enclosing,
                                        HandlerPath &Path, bool Conditional) {
  H = H->getDefinition();
  S.Handler = H;
  for (const ParmVarDecl *P : H->parameters())
    if (P->isParameterPack() || inMacro(P->getBeginLoc()))
      return std::nullopt;
  if (llvm::is_contained(Path, H->getCanonicalDecl())) {
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
  unsigned Refs = references(H);
  if (Refs > 1 && (!EnterLoops || (Depth == 1 && Conditional))) {
    stopAt(H, namedElsewhereToo(H, S.Call));
    return std::nullopt;
  }
  if (auto Why = namedElsewhere(H)) {
    stopAt(H, ": " + *Why);
    return std::nullopt;
  }
  const auto *Body = cast<CompoundStmt>(H->getBody());
  if (inMacro(Body->getLBracLoc()) || inMacro(Body->getRBracLoc()))
    return std::nullopt;
  if (auto Bad = bodyProblem(Body, Ctx)) {
    stopAt(H, ": its body " + *Bad);
    return std::nullopt;
  }
  HandlerPath Outer = Path;
  std::string StopBefore = Stop;
  Path.push_back(H->getCanonicalDecl());
  llvm::SmallVector<TailSite, 4> Inner;
  collectTails(Body, /*InTail=*/true, Inner);
  for (const TailSite &T : Inner)
    if (auto Next = recognize(T, Depth + (S.K == Step::Await), Enclosing, Path))
      S.Next.push_back(std::move(*Next));
  Path.pop_back();
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
      Stop = std::move(StopBefore); // what stopped inside is moot
      stopAt(H, namedElsewhereToo(H, S.Call));
      return std::nullopt;
    }
  }
  // A plain tail call of a function that awaits nothing is just a call.
  if (S.K == Step::HandlerCall && S.Next.empty())
    return std::nullopt;
  return S;
}

void Finder::analyze(const FunctionDecl *F, const LambdaExpr *L) {
  if (L && AllFlattened.count(L))
    return; // a continuation of a chain found already
  if (Claimed.count(F->getCanonicalDecl()))
    return; // inlined into a chain found already
  const Stmt *Body = L ? L->getCompoundStmtBody() : F->getBody();
  if (!Body || inMacro(Body->getBeginLoc()))
    return;
  llvm::SmallVector<TailSite, 4> Sites;
  collectTails(Body, /*InTail=*/true, Sites);
  FunctionPlan Plan;
  Plan.Function = F;
  Plan.Lambda = L;
  // Only a function that can become a coroutine enters a loop of handlers
  // (else the loop's head stays a chain of its own).
  EnterLoops = !functionProblem(F, L);
  Stop.clear();
  Visits = 0;
  HandlerPath Path{F->getCanonicalDecl()};
  for (const TailSite &Site : Sites)
    if (auto S = recognize(Site, 1, F, Path))
      Plan.Roots.push_back(std::move(*S));
  if (Plan.Roots.empty())
    return;

  bool Awaits = false;
  forEachStep(Plan.Roots, [&](const Step &S) {
    Awaits |= S.K == Step::Await;
    if (S.Continuation)
      Plan.Flattened.insert(S.Continuation);
    if (S.Handler && S.BackEdge)
      Plan.LoopHeads.insert(S.Handler);
    else if (S.Handler && !llvm::is_contained(Plan.Inlined, S.Handler))
      Plan.Inlined.push_back(S.Handler);
  });
  if (!Awaits)
    return; // calls of handlers, nothing asynchronous

  unsigned Depth = Plan.depth();
  if (Depth < Opts.MinDepth && Plan.LoopHeads.empty()) {
    skip(Plan.Roots.front().Call->getBeginLoc(), F,
         "a single callback, not a chain (depth " + std::to_string(Depth) +
             " < " + std::to_string(Opts.MinDepth) + ")" +
             (Stop.empty() ? "" : "; " + Stop));
    return;
  }
  if (auto Problem = functionProblem(F, L)) {
    skip(Plan.Roots.front().Call->getBeginLoc(), F, *Problem);
    return;
  }
  std::string Why;
  if (!checkHandlers(Plan, Why) || !checkCaptures(Plan, Why) ||
      !checkLocks(Plan, Why) || !planAsio(Plan, Why)) {
    skip(Plan.Roots.front().Call->getBeginLoc(), F, Why);
    return;
  }
  planKeepAlive(Plan);
  checkLocals(Plan);
  checkLentLocals(Plan);
  if (!Plan.Asio)
    checkInlineFirstSteps(Plan);

  NameIndex Names;
  Names.addFunctionParams(F, Body->getSourceRange());
  Names.add(Body);
  for (const FunctionDecl *H : Plan.Inlined) {
    Names.addFunctionParams(H, H->getBody()->getSourceRange());
    Names.add(H->getBody());
  }
  AsioErrors.clear();
  planNames(Plan, Names);

  // Chains of loops that this one enters are part of it now.
  llvm::erase_if(Plans,
                 [&](const FunctionPlan &Other) { return covers(Plan, Other); });
  Claimed.insert(F->getCanonicalDecl());
  for (const FunctionDecl *H : Plan.Inlined)
    Claimed.insert(H->getCanonicalDecl());
  AllFlattened.insert(Plan.Flattened.begin(), Plan.Flattened.end());
  Plans.push_back(std::move(Plan));
}

/// Applies clang-format's include insertion and formatting (changed lines
/// only) to the edits of one file.
static llvm::Expected<tooling::Replacements>
formatFile(llvm::StringRef Path, llvm::StringRef Code,
           const tooling::Replacements &Replaces, const AnalysisOptions &Opts) {
  if (!Opts.Format) {
    auto Cleaned =
        format::cleanupAroundReplacements(Code, Replaces, format::getLLVMStyle());
    if (Cleaned)
      return *Cleaned;
    llvm::consumeError(Cleaned.takeError());
    return Replaces;
  }
  auto Style = format::getStyle(format::DefaultFormatStyle, Path,
                                Opts.FallbackStyle, Code);
  if (!Style)
    return Style.takeError();
  auto Cleaned = format::cleanupAroundReplacements(Code, Replaces, *Style);
  if (!Cleaned)
    return Cleaned.takeError();
  return format::formatReplacements(Code, *Cleaned, *Style);
}

/// Formats the edits of one chain, file by file. Deletions of whole lines
/// (a removed handler) are kept out of formatting, which would otherwise
/// reformat the untouched line after them, unless what formatting changes
/// overlaps them.
static std::vector<tooling::Replacement>
formatEdits(const std::vector<tooling::Replacement> &Edits,
            const SourceManager &SM, const AnalysisOptions &Opts,
            std::string &Error) {
  std::map<std::string, std::vector<tooling::Replacement>> ByFile;
  for (const tooling::Replacement &R : Edits)
    ByFile[R.getFilePath().str()].push_back(R);
  std::vector<tooling::Replacement> Out;
  for (auto &[Path, FileEdits] : ByFile) {
    auto FE = SM.getFileManager().getOptionalFileRef(Path);
    FileID ID = FE ? SM.translateFile(*FE) : FileID();
    std::optional<llvm::StringRef> Code =
        ID.isValid() ? SM.getBufferDataOrNone(ID) : std::nullopt;
    if (!Code) {
      Error = "no buffer for " + Path;
      return {};
    }
    tooling::Replacements All, Kept, Deleted;
    for (const tooling::Replacement &R : FileEdits) {
      unsigned B = R.getOffset(), E = B + R.getLength();
      bool WholeLines =
          R.getReplacementText().empty() && isWholeLines(*Code, B, E);
      llvm::Error Err = All.add(R);
      if (!Err)
        Err = (WholeLines ? Deleted : Kept).add(R);
      if (Err) {
        Error = llvm::toString(std::move(Err));
        return {};
      }
    }
    auto Result = formatFile(Path, *Code, Kept, Opts);
    bool Merged = bool(Result);
    if (Result)
      for (const tooling::Replacement &D : Deleted)
        if (llvm::Error Err = Result->add(D)) {
          llvm::consumeError(std::move(Err));
          Merged = false;
          break;
        }
    if (!Merged) {
      if (!Result)
        llvm::consumeError(Result.takeError());
      Result = formatFile(Path, *Code, All, Opts);
    }
    if (!Result) {
      Error = llvm::toString(Result.takeError());
      return {};
    }
    Out.insert(Out.end(), Result->begin(), Result->end());
  }
  return Out;
}

Chain Finder::finish(FunctionPlan &Plan) {
  Chain C;
  const FunctionDecl *F = Plan.Function;
  C.Function = Plan.Lambda ? "(lambda)" : qualifiedName(F);
  C.FunctionWhere = locate(Plan.Lambda ? Plan.Lambda->getBeginLoc()
                                       : F->getLocation());
  C.Where = locate(Plan.Roots.front().Call->getBeginLoc());
  std::function<void(const Step &)> Add = [&](const Step &S) {
    ChainStep CS;
    CS.Where = locate(S.Call->getBeginLoc());
    CS.Callee = S.Callee;
    CS.Depth = S.Depth;
    C.Steps.push_back(std::move(CS));
    for (const Step &N : S.Next)
      Add(N);
  };
  for (const Step &R : Plan.Roots)
    Add(R);
  C.Depth = Plan.depth();
  C.Conf = Plan.Conf;
  C.Assumptions = Plan.Assumptions;
  std::vector<std::pair<unsigned, std::string>> Renames;
  for (const auto &[D, New] : Plan.Renames)
    Renames.push_back({SM.getFileOffset(SM.getFileLoc(D->getLocation())),
                       "'" + D->getName().str() + "' renamed to '" + New +
                           "' (the name is taken where it now lands)"});
  llvm::sort(Renames);
  for (auto &R : Renames)
    C.Renames.push_back(std::move(R.second));
  return C;
}

void Finder::run() {
  Collector Col(SM);
  Col.TraverseDecl(Ctx.getTranslationUnitDecl());
  for (const auto &[Ref, Fn] : Col.FunctionRefs)
    if (!Col.CalleeRefs.count(Ref) && !isa<CXXMethodDecl>(Fn))
      AddressTaken.insert(Fn->getCanonicalDecl());
  ReferenceSites = std::move(Col.ReferenceSites);

  for (const FunctionDecl *F : Col.Functions)
    analyze(F, nullptr);
  for (const LambdaExpr *L : Col.Lambdas)
    analyze(L->getCallOperator(), L);

  // A completion call never looked at in tail position is not in one.
  for (const auto &[C, Fn] : Col.CallbackCalls)
    if (!SeenCalls.count(C) && ruleFor(C->getDirectCallee()) &&
        !SM.isInSystemHeader(SM.getExpansionLoc(C->getBeginLoc())))
      skip(SM.getExpansionLoc(C->getBeginLoc()), Fn,
           "the call of '" + ruleFor(C->getDirectCallee())->Name +
               "' is not in tail position: code after it runs before its "
               "callback does, and awaiting it would change that order");

  // A chain in a lambda inside another chain's continuations is rewritten
  // with it: its edits are carried inside the outer chain's.
  auto StepRegions = [&](const FunctionPlan &P) {
    std::vector<std::pair<unsigned, unsigned>> Out;
    forEachStep(P.Roots, [&](const Step &S) {
      Out.push_back({SM.getFileOffset(SM.getFileLoc(S.Statement->getBeginLoc())),
                     SM.getFileOffset(SM.getFileLoc(S.Statement->getEndLoc()))});
    });
    return Out;
  };
  std::vector<int> Outer(Plans.size(), -1);
  for (size_t I = 0; I < Plans.size(); ++I) {
    if (!Plans[I].Lambda)
      continue;
    unsigned B = SM.getFileOffset(SM.getFileLoc(Plans[I].Lambda->getBeginLoc()));
    for (size_t J = 0; J < Plans.size(); ++J)
      if (J != I)
        for (auto [RB, RE] : StepRegions(Plans[J]))
          if (RB < B && B < RE)
            Outer[I] = J;
  }
  std::vector<std::vector<tooling::Replacement>> Carried(Plans.size());
  std::vector<bool> Accepted(Plans.size(), false);
  std::vector<Chain> Chains(Plans.size());
  auto Process = [&](size_t I) {
    FunctionPlan &P = Plans[I];
    Chain C = finish(P);
    if (!C.Conf.atLeast(Opts.MinConfidence)) {
      std::string Why = "confidence '" + C.Conf.name().str() +
                        "' is below the minimum '" +
                        Opts.MinConfidence.name().str() + "'";
      for (const std::string &A : C.Assumptions)
        Why += "; " + A;
      skip(P.Roots.front().Call->getBeginLoc(), P.Function, Why);
      return;
    }
    if (Outer[I] >= 0 && Outer[Outer[I]] >= 0) {
      skip(P.Roots.front().Call->getBeginLoc(), P.Function,
           "the lambda is nested two chains deep; run again to rewrite it");
      return;
    }
    if (Opts.ComputeEdits) {
      std::vector<tooling::Replacement> Raw = rewritePlan(P, Ctx, Carried[I]);
      if (Outer[I] >= 0) {
        // Rewritten as part of the outer chain.
        for (tooling::Replacement &R : Raw)
          Carried[Outer[I]].push_back(std::move(R));
      } else {
        std::string Error;
        C.Edits = formatEdits(Raw, SM, Opts, Error);
        if (!Error.empty()) {
          skip(P.Roots.front().Call->getBeginLoc(), P.Function,
               "the rewrite could not be formed: " + Error);
          return;
        }
      }
    }
    Accepted[I] = true;
    Chains[I] = std::move(C);
  };
  for (size_t I = 0; I < Plans.size(); ++I)
    if (Outer[I] >= 0)
      Process(I);
  for (size_t I = 0; I < Plans.size(); ++I)
    if (Outer[I] < 0)
      Process(I);
  for (size_t I = 0; I < Plans.size(); ++I)
    if (Accepted[I])
      Out.Chains.push_back(std::move(Chains[I]));
  auto ByPlace = [](const Location &A, const Location &B) {
    return std::tie(A.File, A.Offset) < std::tie(B.File, B.Offset);
  };
  llvm::sort(Out.Chains, [&](const Chain &A, const Chain &B) {
    return ByPlace(A.Where, B.Where);
  });
  llvm::sort(Out.Skipped, [&](const LeftAlone &A, const LeftAlone &B) {
    if (A.Where.File != B.Where.File || A.Where.Offset != B.Where.Offset)
      return ByPlace(A.Where, B.Where);
    return A.Reason < B.Reason;
  });
}

} // namespace detail

AnalysisResult analyzeTranslationUnit(ASTContext &Ctx, const RuleSet &Rules,
                                      const AnalysisOptions &Opts,
                                      const Preprocessor *PP) {
  AnalysisResult Out;
  detail::Finder(Ctx, Rules, Opts, Out, PP).run();
  return Out;
}

} // namespace awaitify
