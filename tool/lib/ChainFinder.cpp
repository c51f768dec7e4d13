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
#include "Plan.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Format/Format.h"
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

unsigned FunctionPlan::depth() const {
  std::function<unsigned(const Step &)> Longest = [&](const Step &S) {
    unsigned Best = 0;
    for (const Step &N : S.Next)
      Best = std::max(Best, Longest(N));
    return 1 + Best;
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
  if (InTail)
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
    return RecursiveASTVisitor::TraverseDecl(D);
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
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *F = dyn_cast<FunctionDecl>(E->getDecl()))
      FunctionRefs.push_back({E, F});
    return true;
  }

  std::vector<const FunctionDecl *> Functions;
  std::vector<const LambdaExpr *> Lambdas;
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
  std::optional<Step> recognize(const TailSite &Site, unsigned Depth,
                                const FunctionDecl *Enclosing);
  void analyze(const FunctionDecl *F, const LambdaExpr *L);
  std::optional<std::string> functionProblem(const FunctionDecl *F,
                                             const LambdaExpr *L);
  bool checkCaptures(FunctionPlan &Plan, std::string &Why);
  void checkStepCaptures(FunctionPlan &Plan, const Step &S);
  void planNames(FunctionPlan &Plan, NameIndex &Names);
  void planStepNames(FunctionPlan &Plan, NameIndex &Names, const Step &S,
                     SourceRange Target, llvm::StringSet<> &Fresh);
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
  llvm::DenseMap<const ValueDecl *, SourceRange> HoistedScopes;
  llvm::SmallPtrSet<const FunctionDecl *, 8> AddressTaken;
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
  LeftAlone S;
  S.Where = locate(L);
  if (F)
    S.Function = isLambdaCallOperator(F) ? "(lambda)" : qualifiedName(F);
  S.Reason = std::move(Reason);
  Out.Skipped.push_back(std::move(S));
}

std::optional<Step> Finder::recognize(const TailSite &Site, unsigned Depth,
                                      const FunctionDecl *Enclosing) {
  const CallExpr *Call = statementCall(Site.S);
  if (!Call)
    return std::nullopt;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return std::nullopt;
  const ApiRule *Rule = ruleFor(Callee);
  if (!Rule)
    return std::nullopt;

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
  const LambdaExpr *L = lambdaArgument(Arg);
  if (!L) {
    skip(Arg->getBeginLoc(), Enclosing,
         "the callback of '" + Rule->Name +
             "' is not a lambda written at the call (it is stored or "
             "forwarded); awaitify only flattens lambdas it can see");
    return std::nullopt;
  }
  if (Rule->Style != AwaitStyle::Generic) {
    skip(Call->getBeginLoc(), Enclosing,
         "'" + Rule->Name + "' is awaited in its library's own style (" +
             Rule->Origin + "), which this rewrite does not emit yet");
    return std::nullopt;
  }

  auto Reject = [&](const std::string &Why) -> std::optional<Step> {
    skip(Call->getBeginLoc(), Enclosing,
         "the callback of '" + Rule->Name + "' " + Why);
    return std::nullopt;
  };
  const CXXMethodDecl *Op = L->getCallOperator();
  const CompoundStmt *Body = L->getCompoundStmtBody();
  if (inMacro(Call->getBeginLoc()) || inMacro(Call->getEndLoc()) ||
      inMacro(L->getBeginLoc()) || inMacro(Body->getLBracLoc()) ||
      inMacro(Body->getRBracLoc()) || inMacro(Site.S->getBeginLoc()))
    return Reject("is spelled through a macro expansion");
  if (SM.getFileID(SM.getFileLoc(Call->getBeginLoc())) !=
      SM.getFileID(SM.getFileLoc(Body->getRBracLoc())))
    return Reject("spans several files");
  if (!Op->getReturnType()->isVoidType())
    return Reject("returns a value");
  if (L->isGenericLambda())
    return Reject("is generic (auto parameters): the awaited types are not "
                  "written anywhere");
  if (isa<CoroutineBodyStmt>(Op->getBody()))
    return Reject("is itself a coroutine");
  for (const ParmVarDecl *P : Op->parameters())
    if (P->isParameterPack() || inMacro(P->getBeginLoc()))
      return Reject("has a parameter pack or a parameter spelled by a macro");

  // Things a lambda body may contain that a flattened body may not.
  struct BodyCheck : RecursiveASTVisitor<BodyCheck> {
    bool shouldVisitLambdaBody() const { return false; }
    bool VisitLabelStmt(LabelStmt *) { return !(Bad = "declares a label"); }
    bool VisitReturnStmt(ReturnStmt *R) {
      if (R->getRetValue() && !statementCall(R))
        Bad = "returns a void expression";
      return !Bad;
    }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
    const char *Bad = nullptr;
  } Check;
  Check.TraverseStmt(const_cast<CompoundStmt *>(Body));
  if (Check.Bad)
    return Reject(Check.Bad);

  Step S;
  S.Call = Call;
  S.Statement = Site.S;
  S.Continuation = L;
  S.CallbackArg = Arg;
  S.Rule = Rule;
  S.Callee = Rule->Name;
  S.Depth = Depth;
  S.NeedsBraces = Site.Container == Site.S;

  llvm::SmallVector<TailSite, 4> Inner;
  collectTails(Body, Body, /*InTail=*/true, Inner);
  for (const TailSite &T : Inner)
    if (auto Next = recognize(T, Depth + 1, Enclosing))
      S.Next.push_back(std::move(*Next));
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
  // `return g();` in a void function is not valid in a coroutine.
  struct Returns : RecursiveASTVisitor<Returns> {
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
    bool VisitReturnStmt(ReturnStmt *R) {
      if (R->getRetValue() && !statementCall(R))
        Bad = true;
      return !Bad;
    }
    bool VisitLabelStmt(LabelStmt *) { return true; }
    bool Bad = false;
  } Ret;
  Ret.TraverseStmt(F->getBody());
  if (Ret.Bad)
    return std::string("the function returns a void expression "
                       "(`return g();`), which a coroutine cannot");
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

bool Finder::checkCaptures(FunctionPlan &Plan, std::string &Why) {
  // A reference parameter that a continuation copies: the copy was taken at
  // the call, before the first suspension; a coroutine keeps the reference.
  for (const Step &R : Plan.Roots) {
    for (const LambdaCapture &C : R.Continuation->captures()) {
      if (!C.capturesVariable() || C.getCaptureKind() != LCK_ByCopy)
        continue;
      const auto *P = dyn_cast<ParmVarDecl>(C.getCapturedVar());
      if (!P || !P->getType()->isReferenceType() ||
          P->getDeclContext() != Plan.Function)
        continue;
      QualType Pointee = P->getType()->getPointeeType();
      if (P->getType()->isLValueReferenceType() &&
          !Pointee.isConstQualified()) {
        Why = "reference parameter '" + P->getName().str() +
              "' is copied by a callback; as a coroutine parameter it would "
              "still refer to the caller's object after the first suspension";
        return false;
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
  }
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
                           const Step &S, SourceRange Target,
                           llvm::StringSet<> &Fresh) {
  const LambdaExpr *L = S.Continuation;
  SourceLocation At = S.Statement->getBeginLoc();

  // The declarations this step moves into Target.
  llvm::SmallVector<const ValueDecl *, 8> Hoisted;
  for (const ParmVarDecl *P : L->getCallOperator()->parameters())
    if (P->getIdentifier())
      Hoisted.push_back(P);
  for (const LambdaCapture &C : L->captures())
    if (C.capturesVariable())
      if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
          V && L->isInitCapture(&C) && !Plan.Aliases.count(V))
        Hoisted.push_back(V);
  for (const Stmt *Child : L->getCompoundStmtBody()->body())
    if (const auto *DS = dyn_cast<DeclStmt>(Child))
      for (const Decl *D : DS->decls()) {
        if (const auto *DD = dyn_cast<DecompositionDecl>(D)) {
          for (const BindingDecl *B : DD->bindings())
            Hoisted.push_back(B);
        } else if (const auto *V = dyn_cast<VarDecl>(D)) {
          Hoisted.push_back(V);
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
      if (auto It = HoistedScopes.find(Other); It != HoistedScopes.end())
        Scope = It->second;
      return contains(SM, Scope, At);
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
            !contains(SM, L->getSourceRange(), Loc))
          Clash = true;
    if (Clash) {
      std::string New = freshName(Name, Names, Fresh);
      Plan.Renames[D] = New;
    }
    HoistedScopes[D] = Target;
  }

  std::string Resume = "resume";
  if (Names.isTaken(Resume))
    Resume = freshName(Resume, Names, Fresh);
  const_cast<Step &>(S).ResumeName = Resume;

  for (const Step &N : S.Next) {
    // A step whose statement is the last of this continuation's body lands
    // in the same block; one inside an if-arm lands in that arm.
    const Stmt *Parent = nullptr;
    for (const Stmt *Child : L->getCompoundStmtBody()->body())
      if (Child == N.Statement)
        Parent = L->getCompoundStmtBody();
    SourceRange NextTarget = Parent ? Target : N.Statement->getSourceRange();
    if (!Parent) {
      // The innermost compound statement of the continuation holding it.
      struct Finder2 : RecursiveASTVisitor<Finder2> {
        const Stmt *Needle;
        const Stmt *Found = nullptr;
        std::vector<const Stmt *> Stack;
        bool TraverseStmt(Stmt *St) {
          if (!St || Found)
            return true;
          if (St == Needle) {
            for (auto It = Stack.rbegin(); It != Stack.rend(); ++It)
              if (isa<CompoundStmt>(*It)) {
                Found = *It;
                break;
              }
            return true;
          }
          bool Push = isa<CompoundStmt>(St) || isa<IfStmt>(St);
          if (Push)
            Stack.push_back(St);
          RecursiveASTVisitor::TraverseStmt(St);
          if (Push)
            Stack.pop_back();
          return true;
        }
        bool TraverseLambdaExpr(LambdaExpr *) { return true; }
      } Find;
      Find.Needle = N.Statement;
      Find.TraverseStmt(const_cast<CompoundStmt *>(L->getCompoundStmtBody()));
      if (Find.Found && Find.Found != L->getCompoundStmtBody())
        NextTarget = Find.Found->getSourceRange();
    }
    planStepNames(Plan, Names, N, NextTarget, Fresh);
  }
}

void Finder::planNames(FunctionPlan &Plan, NameIndex &Names) {
  llvm::StringSet<> Fresh;
  for (const Step &R : Plan.Roots) {
    // Roots land in the block that holds them.
    SourceRange Target = Plan.Function->getBody()->getSourceRange();
    struct Holder : RecursiveASTVisitor<Holder> {
      const Stmt *Needle;
      const Stmt *Found = nullptr;
      const Stmt *Current = nullptr;
      bool TraverseCompoundStmt(CompoundStmt *CS) {
        const Stmt *Saved = Current;
        Current = CS;
        for (Stmt *Child : CS->body())
          if (Child == Needle)
            Found = CS;
        RecursiveASTVisitor::TraverseCompoundStmt(CS);
        Current = Saved;
        return true;
      }
      bool TraverseLambdaExpr(LambdaExpr *) { return true; }
    } H;
    H.Needle = R.Statement;
    H.TraverseStmt(Plan.Function->getBody());
    if (H.Found)
      Target = H.Found->getSourceRange();
    else
      Target = R.Statement->getSourceRange(); // unbraced if-arm
    planStepNames(Plan, Names, R, Target, Fresh);
  }
}

void Finder::analyze(const FunctionDecl *F, const LambdaExpr *L) {
  if (L && AllFlattened.count(L))
    return; // a continuation of a chain found already
  const Stmt *Body = L ? L->getCompoundStmtBody() : F->getBody();
  if (!Body || inMacro(Body->getBeginLoc()))
    return;
  llvm::SmallVector<TailSite, 4> Sites;
  collectTails(Body, Body, /*InTail=*/true, Sites);
  FunctionPlan Plan;
  Plan.Function = F;
  Plan.Lambda = L;
  for (const TailSite &Site : Sites)
    if (auto S = recognize(Site, 1, F))
      Plan.Roots.push_back(std::move(*S));
  if (Plan.Roots.empty())
    return;

  unsigned Depth = Plan.depth();
  if (Depth < Opts.MinDepth) {
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
  if (!checkCaptures(Plan, Why)) {
    skip(Plan.Roots.front().Call->getBeginLoc(), F, Why);
    return;
  }

  NameIndex Names;
  Names.addFunctionParams(F, Body->getSourceRange());
  Names.TraverseStmt(const_cast<Stmt *>(Body));
  HoistedScopes.clear();
  planNames(Plan, Names);

  std::function<void(const Step &)> Mark = [&](const Step &S) {
    Plan.Flattened.insert(S.Continuation);
    for (const Step &N : S.Next)
      Mark(N);
  };
  for (const Step &R : Plan.Roots)
    Mark(R);
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
    if (!Col.CalleeRefs.count(Ref))
      AddressTaken.insert(Fn->getCanonicalDecl());

  for (const FunctionDecl *F : Col.Functions)
    analyze(F, nullptr);
  for (const LambdaExpr *L : Col.Lambdas)
    analyze(L->getCallOperator(), L);

  // A lambda flattened by another chain is rewritten as part of it; a chain
  // nested inside another chain's continuations waits for the next run.
  llvm::SmallPtrSet<const LambdaExpr *, 16> Flattened;
  for (const FunctionPlan &P : Plans)
    Flattened.insert(P.Flattened.begin(), P.Flattened.end());
  std::vector<std::pair<unsigned, unsigned>> Regions;
  for (const FunctionPlan &P : Plans)
    if (!P.Lambda || !Flattened.count(P.Lambda))
      for (const Step &R : P.Roots)
        Regions.push_back({SM.getFileOffset(SM.getFileLoc(R.Call->getBeginLoc())),
                           SM.getFileOffset(SM.getFileLoc(R.Call->getEndLoc()))});

  for (FunctionPlan &P : Plans) {
    if (P.Lambda && Flattened.count(P.Lambda))
      continue;
    if (P.Lambda) {
      unsigned B = SM.getFileOffset(SM.getFileLoc(P.Lambda->getBeginLoc()));
      bool Nested = llvm::any_of(Regions, [&](auto R) {
        return R.first < B && B < R.second;
      });
      if (Nested) {
        skip(P.Roots.front().Call->getBeginLoc(), P.Function,
             "the lambda is inside a chain rewritten in this run; run again "
             "to rewrite it");
        continue;
      }
    }
    Chain C = finish(P);
    if (!C.Conf.atLeast(Opts.MinConfidence)) {
      std::string Why = "confidence '" + C.Conf.name().str() +
                        "' is below the minimum '" +
                        Opts.MinConfidence.name().str() + "'";
      for (const std::string &A : C.Assumptions)
        Why += "; " + A;
      skip(P.Roots.front().Call->getBeginLoc(), P.Function, Why);
      continue;
    }
    std::string Error;
    if (Opts.ComputeEdits)
      C.Edits = formatEdits(rewritePlan(P, Ctx), SM, Opts, Error);
    if (!Error.empty()) {
      skip(P.Roots.front().Call->getBeginLoc(), P.Function,
           "the rewrite could not be formed: " + Error);
      continue;
    }
    Out.Chains.push_back(std::move(C));
  }
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
