//===- ChainFinder.cpp - Find callback chains and check they are safe -----===//
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
//
//===----------------------------------------------------------------------===//
#include "Handlers.h"
#include "Plan.h"
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
  return Handler->parameters();
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

namespace {
using namespace detail;

bool isBareReturn(const Stmt *S) {
  const auto *R = dyn_cast_or_null<ReturnStmt>(S);
  return R && !R->getRetValue();
}

/// A statement in tail position and the statement that holds it: the block
/// it is the last statement of, or (an unbraced if-arm) itself.
struct TailSite {
  const Stmt *S;
  const Stmt *Container;
};

/// Collects the statements of \p S that are in tail position: the last
/// statement of a block that is itself in tail position, any statement
/// followed by a bare `return;`, and the arms of an if/else in such a place.
void collectTails(const Stmt *S, const Stmt *Container, bool InTail,
                  llvm::SmallVectorImpl<TailSite> &Out) {
  if (!S)
    return;
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    unsigned N = CS->size();
    for (unsigned I = 0; I != N; ++I) {
      const Stmt *Child = CS->body_begin()[I];
      bool ChildTail = (InTail && I + 1 == N) ||
                       (I + 1 < N && isBareReturn(CS->body_begin()[I + 1]));
      const auto *R = dyn_cast<ReturnStmt>(Child);
      if (R && R->getRetValue() && R->getRetValue()->getType()->isVoidType())
        Out.push_back({Child, CS}); // `return api(..., cb);` ends the frame
      else if (ChildTail)
        collectTails(Child, CS, /*InTail=*/true, Out);
      else if (isa<IfStmt>(Child) || isa<CompoundStmt>(Child))
        collectTails(Child, CS, /*InTail=*/false, Out);
    }
    return;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    if (If->isConsteval())
      return;
    collectTails(If->getThen(), If->getThen(), InTail, Out);
    collectTails(If->getElse(), If->getElse(), InTail, Out);
    return;
  }
  const auto *R = dyn_cast<ReturnStmt>(S);
  if (InTail || (R && R->getRetValue() &&
                 R->getRetValue()->getType()->isVoidType()))
    Out.push_back({S, Container});
}

/// The call a statement is (`f(...);` or `return f(...);`).
const CallExpr *statementCall(const Stmt *S) {
  const Expr *E = nullptr;
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    E = R->getRetValue();
  else
    E = dyn_cast<Expr>(S);
  if (!E)
    return nullptr;
  const auto *Call = dyn_cast<CallExpr>(E->IgnoreImplicit()->IgnoreParens());
  if (!Call || isa<CXXOperatorCallExpr>(Call) || isa<CUDAKernelCallExpr>(Call))
    return nullptr;
  return Call;
}

bool inMacro(SourceLocation L) { return L.isInvalid() || L.isMacroID(); }

/// Records, while traversing one function, every name declared or used in it
/// and the scope each declaration is visible in.
class NameIndex : public RecursiveASTVisitor<NameIndex> {
public:
  struct Entry {
    const ValueDecl *D;
    SourceRange Scope;
  };
  llvm::StringMap<std::vector<Entry>> Decls;
  llvm::StringMap<std::vector<std::pair<const ValueDecl *, SourceLocation>>>
      Uses;

  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseStmt(Stmt *S) {
    if (!S)
      return true;
    bool Scoped = isa<CompoundStmt>(S) || isa<ForStmt>(S) ||
                  isa<CXXForRangeStmt>(S) || isa<WhileStmt>(S) ||
                  isa<IfStmt>(S) || isa<SwitchStmt>(S) ||
                  isa<CXXCatchStmt>(S) || isa<LambdaExpr>(S);
    if (Scoped)
      Scopes.push_back(S->getSourceRange());
    bool Ok = RecursiveASTVisitor::TraverseStmt(S);
    if (Scoped)
      Scopes.pop_back();
    return Ok;
  }
  bool VisitVarDecl(VarDecl *V) {
    addDecl(V);
    return true;
  }
  bool VisitBindingDecl(BindingDecl *B) {
    addDecl(B);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl()->getIdentifier())
      Uses[E->getDecl()->getName()].push_back({E->getDecl(), E->getLocation()});
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (E->isImplicitAccess() && E->getMemberDecl()->getIdentifier())
      Uses[E->getMemberDecl()->getName()].push_back(
          {E->getMemberDecl(), E->getMemberLoc()});
    return true;
  }

  void addFunctionParams(const FunctionDecl *F, SourceRange BodyRange) {
    for (const ParmVarDecl *P : F->parameters())
      if (P->getIdentifier())
        Decls[P->getName()].push_back({P, BodyRange});
  }
  bool isTaken(llvm::StringRef Name) const {
    return Decls.count(Name) || Uses.count(Name);
  }

private:
  void addDecl(const ValueDecl *D) {
    if (!D->getIdentifier())
      return;
    SourceRange Scope = Scopes.empty() ? SourceRange() : Scopes.back();
    // A lambda's parameters are visible in its body: the lambda's range.
    Decls[D->getName()].push_back({D, Scope});
  }
  std::vector<SourceRange> Scopes;
};

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
    unsigned N = C->getNumArgs();
    while (N && isa<CXXDefaultArgExpr>(C->getArg(N - 1)))
      --N;
    if (N && C->getDirectCallee() &&
        (lambdaArgument(C->getArg(N - 1)) || boundHandler(C->getArg(N - 1))))
      CallbackCalls.push_back(
          {C, Enclosing.empty() ? nullptr : Enclosing.back()});
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *F = dyn_cast<FunctionDecl>(E->getDecl())) {
      FunctionRefs.push_back({E, F});
      ++References[F->getCanonicalDecl()];
    }
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    if (const auto *F = dyn_cast<FunctionDecl>(E->getMemberDecl()))
      ++References[F->getCanonicalDecl()];
    return true;
  }

  llvm::DenseMap<const FunctionDecl *, unsigned> References;
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

class Finder {
public:
  Finder(ASTContext &Ctx, const RuleSet &Rules, const AnalysisOptions &Opts,
         AnalysisResult &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Rules(Rules), Opts(Opts),
        Out(Out) {}

  void run();

private:
  const ApiRule *ruleFor(const FunctionDecl *Callee);
  using HandlerPath = llvm::SmallVector<const FunctionDecl *, 8>;
  std::optional<Step> recognize(const TailSite &Site, unsigned Depth,
                                const FunctionDecl *Enclosing,
                                HandlerPath &Path);
  std::optional<Step> handlerStep(Step S, const FunctionDecl *H,
                                  unsigned Depth, const FunctionDecl *Enclosing,
                                  HandlerPath &Path);
  bool checkHandlers(FunctionPlan &Plan, std::string &Why);
  bool planAsio(FunctionPlan &Plan, std::string &Why);
  void analyze(const FunctionDecl *F, const LambdaExpr *L);
  std::optional<std::string> functionProblem(const FunctionDecl *F,
                                             const LambdaExpr *L);
  bool checkCaptures(FunctionPlan &Plan, std::string &Why);
  void checkStepCaptures(FunctionPlan &Plan, const Step &S);
  void planNames(FunctionPlan &Plan, NameIndex &Names);
  void planStepNames(FunctionPlan &Plan, NameIndex &Names, const Step &S,
                     unsigned Block, SourceLocation Anchor,
                     llvm::StringSet<> &Fresh);
  unsigned newBlock(int Parent) {
    BlockParent.push_back(Parent);
    return BlockParent.size() - 1;
  }
  /// Whether code in block \p Inner sees declarations of block \p Outer.
  bool sees(unsigned Inner, unsigned Outer) const {
    for (int B = Inner; B >= 0; B = BlockParent[B])
      if (unsigned(B) == Outer)
        return true;
    return false;
  }
  std::string freshName(llvm::StringRef Base, const NameIndex &Names,
                        llvm::StringSet<> &Fresh);
  void skip(SourceLocation L, const FunctionDecl *F, std::string Reason);
  Location locate(SourceLocation L) const;
  Chain finish(FunctionPlan &Plan);

  ASTContext &Ctx;
  const SourceManager &SM;
  const RuleSet &Rules;
  const AnalysisOptions &Opts;
  AnalysisResult &Out;

  llvm::DenseMap<const FunctionDecl *, const ApiRule *> RuleCache;
  std::deque<ApiRule> AnnotationRules; // stable storage for annotated APIs
  /// The blocks of the flattened code: each step's declarations land in a
  /// block, which sees the declarations of the blocks around it.
  std::vector<int> BlockParent;
  llvm::DenseMap<const ValueDecl *, unsigned> HoistedBlock;
  llvm::SmallPtrSet<const ValueDecl *, 8> AsioErrors;
  llvm::SmallPtrSet<const FunctionDecl *, 8> AddressTaken;
  /// How often each function is named anywhere in the TU (calls included).
  llvm::DenseMap<const FunctionDecl *, unsigned> References;
  /// Functions rewritten or inlined by a plan already: one plan each.
  llvm::SmallPtrSet<const FunctionDecl *, 16> Claimed;
  /// Completion calls looked at in tail position (the others are not).
  llvm::SmallPtrSet<const CallExpr *, 32> SeenCalls;
  std::set<std::pair<unsigned, std::string>> SkipsSeen;
  std::vector<FunctionPlan> Plans;
  llvm::SmallPtrSet<const LambdaExpr *, 16> AllFlattened;
};

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
        if (A->getAnnotation() == CompletionAnnotation) {
          ApiRule R;
          R.Name = qualifiedName(Pattern);
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

/// Whether a body has something a flattened body may not: a label.
/// (`return f(x);` is fine: it becomes `f(x); co_return;`.)
static const char *bodyProblem(const CompoundStmt *Body) {
  struct BodyCheck : RecursiveASTVisitor<BodyCheck> {
    bool VisitLabelStmt(LabelStmt *) { return !(Bad = "declares a label"); }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
    const char *Bad = nullptr;
  } Check;
  Check.TraverseStmt(const_cast<CompoundStmt *>(Body));
  return Check.Bad;
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
  S.NeedsBraces = Site.Container == Site.S;

  // An executor hop to a bound member: the chain goes on in it.
  const Expr *HopExecutor = nullptr;
  if (const FunctionDecl *H = executorHop(Call, HopExecutor);
      H && isHandlerCandidate(H, Enclosing, SM)) {
    S.K = Step::HandlerCall;
    S.Callee = qualifiedName(Callee);
    return handlerStep(std::move(S), H, Depth, Enclosing, Path);
  }

  const ApiRule *Rule = ruleFor(Callee);
  if (!Rule) {
    // A tail call of a sibling handler: inline it, or loop back to it.
    if (isHandlerCandidate(Callee, Enclosing, SM) && onThis(Call)) {
      S.K = Step::HandlerCall;
      S.Callee = qualifiedName(Callee);
      return handlerStep(std::move(S), Callee, Depth, Enclosing, Path);
    }
    return std::nullopt;
  }

  unsigned NumWritten = Call->getNumArgs();
  while (NumWritten && isa<CXXDefaultArgExpr>(Call->getArg(NumWritten - 1)))
    --NumWritten;
  unsigned Index = Rule->CallbackIndex.value_or(NumWritten ? NumWritten - 1 : 0);
  if (Index >= NumWritten) {
    skip(Call->getBeginLoc(), Enclosing,
         "the rule for '" + Rule->Name + "' names callback parameter " +
             std::to_string(Index) + ", but the call has " +
             std::to_string(NumWritten) + " arguments");
    return std::nullopt;
  }
  const Expr *Arg = Call->getArg(Index);
  S.K = Step::Await;
  S.CallbackArg = Arg;
  S.Rule = Rule;
  S.Callee = Rule->Name;
  if (inMacro(Arg->getBeginLoc()) || inMacro(Arg->getEndLoc())) {
    skip(Call->getBeginLoc(), Enclosing,
         "the callback of '" + Rule->Name + "' is spelled through a macro");
    return std::nullopt;
  }

  if (const FunctionDecl *H = boundHandler(Arg)) {
    if (!isHandlerCandidate(H, Enclosing, SM)) {
      skip(Arg->getBeginLoc(), Enclosing,
           "the handler '" + qualifiedName(H) + "' bound for '" + Rule->Name +
               "' is not a plain void member defined in this file");
      return std::nullopt;
    }
    return handlerStep(std::move(S), H, Depth, Enclosing, Path);
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
  if (const char *Bad = bodyProblem(Body))
    return Reject(Bad);

  S.Continuation = L;
  llvm::SmallVector<TailSite, 4> Inner;
  collectTails(Body, Body, /*InTail=*/true, Inner);
  for (const TailSite &T : Inner)
    if (auto Next = recognize(T, Depth + 1, Enclosing, Path))
      S.Next.push_back(std::move(*Next));
  return S;
}

std::optional<Step> Finder::handlerStep(Step S, const FunctionDecl *H,
                                        unsigned Depth,
                                        const FunctionDecl *Enclosing,
                                        HandlerPath &Path) {
  H = H->getDefinition();
  S.Handler = H;
  for (const ParmVarDecl *P : H->parameters())
    if (P->isParameterPack() || inMacro(P->getBeginLoc()))
      return std::nullopt;
  if (llvm::is_contained(Path, H->getCanonicalDecl())) {
    S.BackEdge = true;
    return S;
  }
  // Inline only a handler that nothing else names: one reached from several
  // places (or called from outside) stays a function of its own, and the
  // tail call stays a call -- for a generic handler that is a coroutine of
  // its own, started eagerly, as before.
  if (References.lookup(H->getCanonicalDecl()) > 1)
    return std::nullopt;
  const auto *Body = cast<CompoundStmt>(H->getBody());
  if (inMacro(Body->getLBracLoc()) || inMacro(Body->getRBracLoc()) ||
      bodyProblem(Body))
    return std::nullopt;
  Path.push_back(H->getCanonicalDecl());
  llvm::SmallVector<TailSite, 4> Inner;
  collectTails(Body, Body, /*InTail=*/true, Inner);
  for (const TailSite &T : Inner)
    if (auto Next = recognize(T, Depth + (S.K == Step::Await), Enclosing, Path))
      S.Next.push_back(std::move(*Next));
  Path.pop_back();
  // A plain tail call of a function that awaits nothing is just a call.
  if (S.K == Step::HandlerCall && S.Next.empty())
    return std::nullopt;
  return S;
}

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
        Fn && Fn->isInStdNamespace() && Fn->getName() == "move" &&
        Call->getNumArgs() == 1)
      E = Call->getArg(0)->IgnoreImplicit()->IgnoreParens();
  if (const auto *R = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
        V && V->isLocalVarDeclOrParm())
      return V;
  return nullptr;
}

/// Whether \p Body (not looking into nested lambdas) calls std::move on \p V.
bool movesFrom(const Stmt *Body, const ValueDecl *V) {
  struct Visitor : RecursiveASTVisitor<Visitor> {
    const ValueDecl *V;
    bool Found = false;
    bool VisitCallExpr(CallExpr *C) {
      const FunctionDecl *Fn = C->getDirectCallee();
      if (Fn && Fn->isInStdNamespace() &&
          (Fn->getName() == "move" || Fn->getName() == "forward") &&
          C->getNumArgs() == 1)
        if (const auto *R =
                dyn_cast<DeclRefExpr>(C->getArg(0)->IgnoreParenImpCasts()))
          Found |= R->getDecl() == V;
      return !Found;
    }
  } Vis;
  Vis.V = V;
  Vis.TraverseStmt(const_cast<Stmt *>(Body));
  return Vis.Found;
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
      continue;
    }
    if (C.getCaptureKind() != LCK_ByCopy)
      continue;
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
      struct Uses : RecursiveASTVisitor<Uses> {
        const ValueDecl *V;
        bool Found = false;
        bool VisitDeclRefExpr(DeclRefExpr *R) {
          Found |= R->getDecl() == V;
          return true;
        }
      } U;
      U.V = V;
      U.TraverseStmt(const_cast<Expr *>(A));
      if (!U.Found)
        continue;
      // Passed by value, or by reference to const, the callee cannot change
      // what the callback copied; through a pointer or a mutable (or
      // forwarding) reference it can.
      const FunctionDecl *Callee = S.Call->getDirectCallee();
      bool ByValue = false;
      if (Callee && I < Callee->getNumParams()) {
        QualType PT = Callee->getParamDecl(I)->getType();
        if (!PT->isReferenceType() && !PT->isPointerType() &&
            !PT->isDependentType())
          ByValue = !isa<UnaryOperator>(A->IgnoreParenImpCasts());
        else if (PT->isLValueReferenceType() &&
                 PT->getPointeeType().isConstQualified())
          ByValue = true;
      }
      if (!ByValue)
        Plan.lower(Confidence::Risky,
                   "'" + V->getName().str() + "' is copied by the callback of '" +
                       S.Callee + "' and also passed to it: if the call "
                       "changes it, flattened code sees the change");
    }
  }
  for (const Step &N : S.Next)
    checkStepCaptures(Plan, N);
}

/// Calls \p Fn on every step of a plan, outer steps first.
static void forEachStep(const std::vector<Step> &Steps,
                        const std::function<void(const Step &)> &Fn) {
  for (const Step &S : Steps) {
    Fn(S);
    forEachStep(S.Next, Fn);
  }
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

std::string Finder::freshName(llvm::StringRef Base, const NameIndex &Names,
                              llvm::StringSet<> &Fresh) {
  for (unsigned N = 2;; ++N) {
    std::string Candidate = (Base + llvm::Twine(N)).str();
    if (!Names.isTaken(Candidate) && !Fresh.count(Candidate)) {
      Fresh.insert(Candidate);
      return Candidate;
    }
  }
}

/// Whether \p L lies in \p R. Both are in the function being analysed, so
/// comparing file offsets is enough (and much cheaper than ordering in the
/// translation unit).
static bool contains(const SourceManager &SM, SourceRange R, SourceLocation L) {
  if (R.isInvalid() || L.isInvalid())
    return false;
  auto [BF, B] = SM.getDecomposedLoc(SM.getFileLoc(R.getBegin()));
  auto [EF, E] = SM.getDecomposedLoc(SM.getFileLoc(R.getEnd()));
  auto [XF, X] = SM.getDecomposedLoc(SM.getFileLoc(L));
  return BF == XF && EF == XF && B <= X && X <= E;
}

void Finder::planStepNames(FunctionPlan &Plan, NameIndex &Names,
                           const Step &S, unsigned Block,
                           SourceLocation Anchor, llvm::StringSet<> &Fresh) {
  if (S.BackEdge)
    return; // assigns the loop's variables; declares nothing
  const LambdaExpr *L = S.Continuation;
  const CompoundStmt *Body = S.body();
  // Where the step is, in the function's own text: itself, or (inside an
  // inlined handler) the statement of the function that led there.
  SourceLocation At = S.Statement->getBeginLoc();
  if (!contains(SM, Plan.Function->getBody()->getSourceRange(), At))
    At = Anchor;
  SourceLocation Here = S.Statement->getBeginLoc();
  Step &Mutable = const_cast<Step &>(S);
  bool AsioAwait = S.K == Step::Await && S.Rule->Style == AwaitStyle::Asio;

  auto FinalNameOf = [&](const ValueDecl *D) -> std::string {
    if (const auto *V = dyn_cast<VarDecl>(D))
      if (auto It = Plan.Aliases.find(V); It != Plan.Aliases.end())
        D = It->second;
    auto It = Plan.Renames.find(D);
    return It == Plan.Renames.end() ? D->getName().str() : It->second;
  };
  // A visible error code of the same type that an earlier Asio step
  // declared: this step reports into it too.
  auto VisibleError = [&](llvm::StringRef Name, QualType T) -> const ValueDecl * {
    for (const ValueDecl *E : AsioErrors)
      if (FinalNameOf(E) == Name &&
          Ctx.hasSameUnqualifiedType(E->getType().getNonReferenceType(),
                                     T.getNonReferenceType()))
        if (auto It = HoistedBlock.find(E);
            It != HoistedBlock.end() && sees(Block, It->second))
          return E;
    return nullptr;
  };

  // The declarations this step moves into Target.
  llvm::SmallVector<const ValueDecl *, 8> Hoisted;
  llvm::ArrayRef<ParmVarDecl *> Params = S.params();
  for (unsigned I = 0; I < Params.size(); ++I) {
    const ParmVarDecl *P = Params[I];
    if (AsioAwait && I == 0) {
      llvm::StringRef Name = P->getIdentifier() ? P->getName() : "ec";
      if (const ValueDecl *E = VisibleError(Name, P->getType())) {
        if (P->getIdentifier())
          Plan.Aliases[P] = E;
        Mutable.ErrorName = FinalNameOf(E);
        continue;
      }
      Mutable.DeclareError = true;
      if (!P->getIdentifier()) {
        Mutable.ErrorName = Names.isTaken("ec") ? freshName("ec", Names, Fresh)
                                                : std::string("ec");
        continue;
      }
      AsioErrors.insert(P);
    }
    if (!P->getIdentifier())
      continue;
    if (S.K == Step::HandlerCall && I < S.Call->getNumArgs() &&
        !isa<CXXDefaultArgExpr>(S.Call->getArg(I)))
      if (const auto *R = dyn_cast<DeclRefExpr>(
              S.Call->getArg(I)->IgnoreParenImpCasts()))
        if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
            V && V->isLocalVarDeclOrParm() && FinalNameOf(V) == P->getName() &&
            !P->getType()->isReferenceType()) {
          Plan.Aliases[P] = V; // `do_write(length)` into `length`: same value
          continue;
        }
    Hoisted.push_back(P);
  }
  if (L)
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable())
        if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
            V && L->isInitCapture(&C) && !Plan.Aliases.count(V))
          Hoisted.push_back(V);
  for (const Stmt *Child : Body->body())
    if (const auto *DS = dyn_cast<DeclStmt>(Child)) {
      if (Plan.DroppedStatements.count(DS))
        continue;
      for (const Decl *D : DS->decls()) {
        if (const auto *DD = dyn_cast<DecompositionDecl>(D)) {
          for (const BindingDecl *B : DD->bindings())
            Hoisted.push_back(B);
        } else if (const auto *V = dyn_cast<VarDecl>(D)) {
          Hoisted.push_back(V);
        }
      }
    }

  auto FinalName = [&](const ValueDecl *D) -> llvm::StringRef {
    auto It = Plan.Renames.find(D);
    return It == Plan.Renames.end() ? D->getName() : llvm::StringRef(It->second);
  };

  for (const ValueDecl *D : Hoisted) {
    llvm::StringRef Name = D->getName();
    bool Clash = false;
    // Another declaration visible where this one lands: redeclaration or
    // shadowing. Declarations already hoisted count with their new scope,
    // and renamed ones under their new name.
    auto Visible = [&](const ValueDecl *Other, SourceRange Scope) {
      if (Other == D || FinalName(Other) != Name)
        return false;
      if (auto It = HoistedBlock.find(Other); It != HoistedBlock.end())
        return sees(Block, It->second);
      return contains(SM, Scope, At) || contains(SM, Scope, Here);
    };
    if (auto It = Names.Decls.find(Name); It != Names.Decls.end())
      for (const NameIndex::Entry &E : It->second)
        Clash |= Visible(E.D, E.Scope);
    for (const auto &[Other, New] : Plan.Renames)
      if (New == Name)
        Clash |= Visible(Other, SourceRange());
    // Something else of that name used by the call itself: the new variable
    // would be in scope in its own initialiser.
    if (auto It = Names.Uses.find(Name); It != Names.Uses.end())
      for (const auto &[Used, Loc] : It->second)
        if (Used != D && contains(SM, S.Call->getSourceRange(), Loc) &&
            !(L && contains(SM, L->getSourceRange(), Loc)))
          Clash = true;
    if (Clash) {
      std::string New = freshName(Name, Names, Fresh);
      Plan.Renames[D] = New;
    }
    HoistedBlock[D] = Block;
  }

  if (L && !AsioAwait) {
    std::string Resume = "resume";
    if (Names.isTaken(Resume))
      Resume = freshName(Resume, Names, Fresh);
    Mutable.ResumeName = Resume;
  }

  for (const Step &N : S.Next) {
    // A step directly in this continuation's body lands in the same block;
    // one inside an if-arm (or a loop head's body) in a block of its own.
    bool Direct = llvm::is_contained(Body->body(), N.Statement) &&
                  !(S.Handler && Plan.LoopHeads.count(S.Handler));
    planStepNames(Plan, Names, N, Direct ? Block : newBlock(Block), At, Fresh);
  }
}

void Finder::planNames(FunctionPlan &Plan, NameIndex &Names) {
  llvm::StringSet<> Fresh;
  BlockParent.clear();
  HoistedBlock.clear();
  // Roots directly in the function's body share its block; others (in
  // if-arms) get one each.
  unsigned Top = newBlock(-1);
  const auto *Body = cast<CompoundStmt>(
      Plan.Lambda ? Plan.Lambda->getCompoundStmtBody() : Plan.Function->getBody());
  for (const Step &R : Plan.Roots) {
    bool Direct = llvm::is_contained(Body->body(), R.Statement) &&
                  !Plan.LoopHeads.count(Plan.Function);
    planStepNames(Plan, Names, R, Direct ? Top : newBlock(Top),
                  R.Statement->getBeginLoc(), Fresh);
  }
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
    if (Claimed.count(H->getCanonicalDecl())) {
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
    if (References.lookup(H->getCanonicalDecl()) <= Edges[H])
      Plan.Removed.push_back(H);
    else
      Plan.lower(Confidence::Reasonable,
                 "handler '" + qualifiedName(H) +
                     "' is used elsewhere too: it stays, and a copy of its "
                     "body runs in the coroutine");
  }
  return true;
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
  if (!AnyAsio)
    return true;
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
    struct Locals : RecursiveASTVisitor<Locals> {
      const FunctionDecl *F;
      bool Ok = true;
      bool VisitDeclRefExpr(DeclRefExpr *R) {
        if (const auto *V = dyn_cast<VarDecl>(R->getDecl()))
          if (V->isLocalVarDeclOrParm() &&
              !(isa<ParmVarDecl>(V) && V->getDeclContext() == F))
            Ok = false;
        return Ok;
      }
    } Check;
    Check.F = F;
    Check.TraverseStmt(const_cast<Expr *>(Executor));
    Spawnable = Check.Ok && !inMacro(Executor->getBeginLoc()) &&
                !inMacro(Executor->getEndLoc());
  }
  if (!Spawnable) {
    Why = "cannot tell, where the chain starts, which executor its handlers "
          "ran on";
    return false;
  }
  SourceLocation B = SM.getFileLoc(Executor->getBeginLoc());
  SourceLocation E = Lexer::getLocForEndOfToken(
      SM.getFileLoc(Executor->getEndLoc()), 0, SM, Ctx.getLangOpts());
  Plan.Executor = Lexer::getSourceText(CharSourceRange::getCharRange(B, E), SM,
                                       Ctx.getLangOpts())
                      .str();
  if (ViaObject)
    Plan.Executor += Executor->getType()->isPointerType() ? "->get_executor()"
                                                          : ".get_executor()";

  const auto *M = dyn_cast<CXXMethodDecl>(F);
  Plan.CaptureSelf = M && sharesOwnership(M->getParent());
  // `auto self(shared_from_this());` in the handlers: the coroutine's own
  // `self` keeps the object alive for the whole chain instead.
  auto DropKeepers = [&](const CompoundStmt *Body) {
    for (const Stmt *Child : Body->body())
      if (const VarDecl *V = selfKeeper(Child)) {
        Plan.DroppedStatements.insert(Child);
        if (V->getName() != Plan.SelfName)
          Plan.Renames[V] = Plan.SelfName;
      }
  };
  if (Plan.CaptureSelf) {
    DropKeepers(cast<CompoundStmt>(F->getBody()));
    forEachStep(Plan.Roots, [&](const Step &S) {
      if (!S.BackEdge)
        DropKeepers(S.body());
    });
  }
  Plan.lower(Confidence::Reasonable,
             "the chain now starts when the executor runs the spawned "
             "coroutine, not inside the call");
  return true;
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
  collectTails(Body, Body, /*InTail=*/true, Sites);
  FunctionPlan Plan;
  Plan.Function = F;
  Plan.Lambda = L;
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
             " < " + std::to_string(Opts.MinDepth) + ")");
    return;
  }
  if (auto Problem = functionProblem(F, L)) {
    skip(Plan.Roots.front().Call->getBeginLoc(), F, *Problem);
    return;
  }
  std::string Why;
  if (!checkHandlers(Plan, Why) || !checkCaptures(Plan, Why) ||
      !planAsio(Plan, Why)) {
    skip(Plan.Roots.front().Call->getBeginLoc(), F, Why);
    return;
  }

  NameIndex Names;
  Names.addFunctionParams(F, Body->getSourceRange());
  Names.TraverseStmt(const_cast<Stmt *>(Body));
  for (const FunctionDecl *H : Plan.Inlined) {
    Names.addFunctionParams(H, H->getBody()->getSourceRange());
    Names.TraverseStmt(H->getBody());
  }
  AsioErrors.clear();
  planNames(Plan, Names);

  Claimed.insert(F->getCanonicalDecl());
  for (const FunctionDecl *H : Plan.Inlined)
    Claimed.insert(H->getCanonicalDecl());
  AllFlattened.insert(Plan.Flattened.begin(), Plan.Flattened.end());
  Plans.push_back(std::move(Plan));
}

/// Applies clang-format's include insertion and formatting (changed lines
/// only) to the edits of one chain, file by file.
static std::vector<tooling::Replacement>
formatEdits(const std::vector<tooling::Replacement> &Edits,
            const SourceManager &SM, const AnalysisOptions &Opts,
            std::string &Error) {
  std::map<std::string, tooling::Replacements> ByFile;
  for (const tooling::Replacement &R : Edits)
    if (llvm::Error E = ByFile[R.getFilePath().str()].add(R)) {
      Error = llvm::toString(std::move(E));
      return {};
    }
  std::vector<tooling::Replacement> Out;
  for (auto &[Path, Replaces] : ByFile) {
    auto FE = SM.getFileManager().getOptionalFileRef(Path);
    if (!FE) {
      Error = "cannot find " + Path;
      return {};
    }
    FileID ID = SM.translateFile(*FE);
    std::optional<llvm::StringRef> Code =
        ID.isValid() ? SM.getBufferDataOrNone(ID) : std::nullopt;
    if (!Code) {
      Error = "no buffer for " + Path;
      return {};
    }
    tooling::Replacements Result = Replaces;
    if (Opts.Format) {
      auto Style = format::getStyle(format::DefaultFormatStyle, Path,
                                    Opts.FallbackStyle, *Code);
      if (!Style) {
        Error = llvm::toString(Style.takeError());
        return {};
      }
      auto Cleaned = format::cleanupAroundReplacements(*Code, Replaces, *Style);
      if (!Cleaned) {
        Error = llvm::toString(Cleaned.takeError());
        return {};
      }
      auto Formatted = format::formatReplacements(*Code, *Cleaned, *Style);
      if (!Formatted) {
        Error = llvm::toString(Formatted.takeError());
        return {};
      }
      Result = std::move(*Formatted);
    } else {
      auto Cleaned = format::cleanupAroundReplacements(
          *Code, Replaces, format::getLLVMStyle());
      if (Cleaned)
        Result = std::move(*Cleaned);
      else
        llvm::consumeError(Cleaned.takeError());
    }
    Out.insert(Out.end(), Result.begin(), Result.end());
  }
  return Out;
}

Chain Finder::finish(FunctionPlan &Plan) {
  Chain C;
  const FunctionDecl *F = Plan.Function;
  C.Function = Plan.Lambda ? "(lambda)" : qualifiedName(F);
  if (const auto *M = dyn_cast<CXXMethodDecl>(F); M && !Plan.Lambda)
    (void)M;
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
  References = std::move(Col.References);

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

} // namespace

AnalysisResult analyzeTranslationUnit(ASTContext &Ctx, const RuleSet &Rules,
                                      const AnalysisOptions &Opts) {
  AnalysisResult Out;
  Finder(Ctx, Rules, Opts, Out).run();
  return Out;
}

} // namespace awaitify
