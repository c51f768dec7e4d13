//===- Finder.h - The analysis of one translation unit ----------*- C++ -*-===//
//
// Internal. The Finder walks a translation unit and builds a FunctionPlan for
// every function whose callback chain it can rewrite. Its work is split by
// concern:
//
//   ChainFinder.cpp  finding: tail positions, steps, handlers, the whole run
//   Safety.cpp       checking: the function, captures, handlers, Asio
//   Naming.cpp       naming: what flattening declares, and what to rename
//
// Everything here is internal to the library; `using namespace clang` is
// confined to awaitify::detail.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_LIB_FINDER_H
#define AWAITIFY_LIB_FINDER_H

#include "Plan.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringSet.h"
#include <deque>
#include <functional>
#include <set>

namespace awaitify::detail {
using namespace clang;

inline bool isBareReturn(const Stmt *S) {
  const auto *R = dyn_cast_or_null<ReturnStmt>(S);
  return R && !R->getRetValue();
}

/// A statement in tail position.
struct TailSite {
  const Stmt *S;
  /// The statement is in an arm of an if: it runs only sometimes.
  bool Conditional = false;
  /// The if whose arm the statement is, when it is the arm itself
  /// (unbraced).
  const IfStmt *ArmOf = nullptr;
};

/// Collects the statements of \p S that are in tail position: the last
/// statement of a block that is itself in tail position, any statement
/// followed by a bare `return;`, and the arms of an if/else in such a place.
inline void collectTails(const Stmt *S, bool InTail,
                         llvm::SmallVectorImpl<TailSite> &Out,
                         bool Conditional = false,
                         const IfStmt *ArmOf = nullptr) {
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
        Out.push_back({Child, Conditional}); // `return api(..., cb);`
      else if (ChildTail)
        collectTails(Child, /*InTail=*/true, Out, Conditional);
      else if (isa<IfStmt>(Child) || isa<CompoundStmt>(Child))
        collectTails(Child, /*InTail=*/false, Out, Conditional);
    }
    return;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    if (If->isConsteval())
      return;
    collectTails(If->getThen(), InTail, Out, true, If);
    collectTails(If->getElse(), InTail, Out, true, If);
    return;
  }
  const auto *R = dyn_cast<ReturnStmt>(S);
  if (InTail || (R && R->getRetValue() &&
                 R->getRetValue()->getType()->isVoidType()))
    Out.push_back({S, Conditional, ArmOf});
}

/// The call a statement is (`f(...);` or `return f(...);`).
inline const CallExpr *statementCall(const Stmt *S) {
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

inline bool inMacro(SourceLocation L) { return L.isInvalid() || L.isMacroID(); }

/// Whether \p L lies in \p R. Both are in the function being analysed, so
/// comparing file offsets is enough (and much cheaper than ordering in the
/// translation unit).
inline bool contains(const SourceManager &SM, SourceRange R, SourceLocation L) {
  if (R.isInvalid() || L.isInvalid())
    return false;
  auto [BF, B] = SM.getDecomposedLoc(SM.getFileLoc(R.getBegin()));
  auto [EF, E] = SM.getDecomposedLoc(SM.getFileLoc(R.getEnd()));
  auto [XF, X] = SM.getDecomposedLoc(SM.getFileLoc(L));
  return BF == XF && EF == XF && B <= X && X <= E;
}

/// Calls \p Fn on every step of a plan, outer steps first.
inline void forEachStep(const std::vector<Step> &Steps,
                        const std::function<void(const Step &)> &Fn) {
  for (const Step &S : Steps) {
    Fn(S);
    forEachStep(S.Next, Fn);
  }
}

/// Every name declared or used in the code of one function, and the scope
/// each declaration is visible in.
class NameIndex {
public:
  struct Entry {
    const ValueDecl *D;
    SourceRange Scope;
  };
  llvm::StringMap<std::vector<Entry>> Decls;
  llvm::StringMap<std::vector<std::pair<const ValueDecl *, SourceLocation>>>
      Uses;

  /// Records the names declared and used in \p Code (implicit code left out).
  void add(const Stmt *Code);
  void addFunctionParams(const FunctionDecl *F, SourceRange BodyRange) {
    for (const ParmVarDecl *P : F->parameters())
      if (P->getIdentifier())
        Decls[P->getName()].push_back({P, BodyRange});
  }
  bool isTaken(llvm::StringRef Name) const {
    return Decls.count(Name) || Uses.count(Name);
  }
};

class Finder {
public:
  Finder(ASTContext &Ctx, const RuleSet &Rules, const AnalysisOptions &Opts,
         AnalysisResult &Out, const Preprocessor *PP = nullptr)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Rules(Rules), Opts(Opts),
        Out(Out), PP(PP) {}

  void run();

private:
  const ApiRule *ruleFor(const FunctionDecl *Callee);
  using HandlerPath = llvm::SmallVector<const FunctionDecl *, 8>;
  std::optional<Step> recognize(const TailSite &Site, unsigned Depth,
                                const FunctionDecl *Enclosing,
                                HandlerPath &Path);
  std::optional<Step> handlerStep(Step S, const FunctionDecl *H,
                                  unsigned Depth, const FunctionDecl *Enclosing,
                                  HandlerPath &Path, bool Conditional);
  bool checkHandlers(FunctionPlan &Plan, std::string &Why);
  /// Whether \p Plan enters, and holds all of, the loop \p Other is.
  bool covers(const FunctionPlan &Plan, const FunctionPlan &Other);
  /// Whether \p H belongs to a plan that \p Plan covers.
  bool takesOver(const FunctionPlan &Plan, const FunctionDecl *H);
  bool checkLocks(FunctionPlan &Plan, std::string &Why);
  /// Rates locals that would live across a co_await they did not live
  /// across before.
  void checkLocals(FunctionPlan &Plan);
  /// Rates variables lent to an API that may call back before it returns.
  void checkLentLocals(FunctionPlan &Plan);
  /// Rates what may throw while the first operation's call is still running.
  void checkInlineFirstSteps(FunctionPlan &Plan);
  bool planAsio(FunctionPlan &Plan, std::string &Why);
  /// Keep-alives of a chain that is not spawned by Asio (which has its own).
  void planKeepAlive(FunctionPlan &Plan);
  /// Marks the `self` keepers and `[self = shared_from_this()]` captures of
  /// a plan for removal; the coroutine's own `self` replaces them. Returns
  /// whether there were any.
  bool dropKeepers(FunctionPlan &Plan);
  const Stmt *spawnFrom(const FunctionPlan &Plan);
  /// How a remark names a variable: `'name' (type)`.
  std::string label(const ValueDecl *V) const {
    return "'" + V->getName().str() + "' (" +
           V->getType()
               .getNonReferenceType()
               .getUnqualifiedType()
               .getAsString(Ctx.getPrintingPolicy()) +
           ")";
  }
  /// The text of \p E as written (macro arguments at their spelling).
  std::string spelling(const Expr *E) const;
  void analyze(const FunctionDecl *F, const LambdaExpr *L);
  std::optional<std::string> functionProblem(const FunctionDecl *F,
                                             const LambdaExpr *L);
  bool checkCaptures(FunctionPlan &Plan, std::string &Why);
  void checkStepCaptures(FunctionPlan &Plan, const Step &S);
  /// Rates how the lifetime of by-copy capture \p V of step \p S changes.
  void checkCaptureLifetime(FunctionPlan &Plan, const Step &S,
                            const VarDecl *V);
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
  const Preprocessor *PP;
  /// The value of an object-like macro that is one integer (a library's
  /// version), or nothing.
  std::optional<unsigned> macroNumber(llvm::StringRef Name) const;

  llvm::DenseMap<const FunctionDecl *, const ApiRule *> RuleCache;
  std::deque<ApiRule> AnnotationRules; // stable storage for annotated APIs
  /// The blocks of the flattened code: each step's declarations land in a
  /// block, which sees the declarations of the blocks around it.
  std::vector<int> BlockParent;
  llvm::DenseMap<const ValueDecl *, unsigned> HoistedBlock;
  llvm::SmallPtrSet<const ValueDecl *, 8> AsioErrors;
  llvm::SmallPtrSet<const FunctionDecl *, 8> AddressTaken;
  /// Where each function is named anywhere in the TU (calls included).
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<SourceLocation, 2>>
      ReferenceSites;
  unsigned references(const FunctionDecl *F) const {
    auto It = ReferenceSites.find(F->getCanonicalDecl());
    return It == ReferenceSites.end() ? 0 : It->second.size();
  }
  /// Statements looked at for the function being analysed, and a bound.
  unsigned Visits = 0;
  static constexpr unsigned MaxVisits = 1024;
  /// Why the chain being analysed does not go on into a handler it calls.
  std::string Stop;
  /// Records, unless something did already, that the chain goes no
  /// further than handler \p H, and why.
  void stopAt(const FunctionDecl *H, llvm::StringRef Why);
  /// The reason a handler named at several places stays a function.
  std::string namedElsewhereToo(const FunctionDecl *H,
                                const CallExpr *Site) const;
  /// Why another translation unit may name handler \p H (then it cannot
  /// be inlined and removed), or nothing.
  std::optional<std::string> namedElsewhere(const FunctionDecl *H) const;
  /// Functions rewritten or inlined by a plan already: one plan each.
  llvm::SmallPtrSet<const FunctionDecl *, 16> Claimed;
  /// The function being analysed may take in a loop whose head is named
  /// elsewhere too (it can become a coroutine itself).
  bool EnterLoops = false;
  /// Completion calls looked at in tail position (the others are not).
  llvm::SmallPtrSet<const CallExpr *, 32> SeenCalls;
  std::set<std::pair<unsigned, std::string>> SkipsSeen;
  std::vector<FunctionPlan> Plans;
  llvm::SmallPtrSet<const LambdaExpr *, 16> AllFlattened;
};

} // namespace awaitify::detail

#endif
