//===- Finder.h - The analysis of one translation unit ----------*- C++ -*-===//
//
// Internal. The Finder walks a translation unit and builds a FunctionPlan for
// every function whose callback chain it can rewrite. Its work is split by
// concern:
//
//   Finder.cpp        the run: each function, its plan, the chains out
//   Steps.cpp         finding: steps, handlers, where a chain stops
//   FunctionChecks.cpp  the function and its handlers, locks
//   Captures.cpp      what each continuation captures
//   Beside.cpp        operations started before the chain, spawned apart
//   Lifetimes.cpp     locals and lent variables, exceptions inside a call
//
// TU-wide state lives in the Finder; what belongs to the function being
// analysed lives in a FunctionState made for it, and naming in a Namer
// (plan/Naming.h) made for each plan.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_ANALYSIS_FINDER_H
#define AWAITIFY_ANALYSIS_FINDER_H

#include "analysis/Index.h"
#include "analysis/Tails.h"
#include "plan/Plan.h"
#include "clang/AST/ASTContext.h"
#include "clang/Lex/Preprocessor.h"
#include <deque>
#include <set>

namespace awaitify::detail {

/// What the analysis of one function keeps while it follows its chain.
struct FunctionState {
  /// The function (or lambda call operator) being analysed.
  const clang::FunctionDecl *F;
  /// The function may take in a loop whose head is named elsewhere too (it
  /// can become a coroutine itself).
  bool EnterLoops = false;
  /// Why the chain does not go on into a handler it calls.
  std::string Stop;
  /// Statements looked at, and a bound.
  unsigned Visits = 0;
  static constexpr unsigned MaxVisits = 1024;
  /// The handler whose calls meet after their branch, while its last call
  /// is followed into it (Joins.cpp).
  const clang::FunctionDecl *Joining = nullptr;
  /// The handlers from the function to the step being looked at.
  llvm::SmallVector<const clang::FunctionDecl *, 8> Path;
};

/// Whether a member call is on `this` (implicitly or explicitly), or on an
/// owner of it (`self->h()`, self holding shared_from_this()); a call that
/// is not a member call is too (Steps.cpp).
bool onThis(const clang::CallExpr *Call);

/// Why lambda \p L, the callback of \p Call, cannot be flattened, or
/// nothing (Steps.cpp).
std::optional<std::string> continuationProblem(const clang::LambdaExpr *L,
                                               const clang::CallExpr *Call,
                                               const clang::ASTContext &Ctx);

class Finder {
public:
  Finder(clang::ASTContext &Ctx, const RuleSet &Rules,
         const AnalysisOptions &Opts, AnalysisResult &Out,
         const clang::Preprocessor *PP = nullptr)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Rules(Rules), Opts(Opts),
        Out(Out), PP(PP) {}

  void run();

private:
  // Finder.cpp
  const ApiRule *ruleFor(const clang::FunctionDecl *Callee);
  void analyze(const clang::FunctionDecl *F, const clang::LambdaExpr *L);
  /// Every check and decision on a plan found; false (and the reason in
  /// \p Why) leaves the chain alone.
  bool decide(FunctionPlan &Plan, std::string &Why);
  /// The dialect of the chain's awaits (all the same) and hops.
  bool chooseDialect(FunctionPlan &Plan, std::string &Why);
  /// Turns the plans into chains: rated, rewritten, nested ones carried.
  void emitChains();
  Chain finish(FunctionPlan &Plan);
  void skip(clang::SourceLocation L, const clang::FunctionDecl *F,
            std::string Reason);
  Location locate(clang::SourceLocation L) const;
  /// How a remark names a variable: `'name' (type)`.
  std::string label(const clang::ValueDecl *V) const;

  // Steps.cpp
  /// For a call in a template whose callee is not resolved: the operation
  /// a rule names that it may be, or nothing.
  std::optional<std::string> dependentOperation(const clang::CallExpr *Call);
  std::optional<Step> recognize(const TailSite &Site, unsigned Depth,
                                FunctionState &St);
  /// The steps of the tail sites \p Sites of \p Body, appended to \p Out:
  /// each recognized on its own, except the calls of a handler that meet
  /// after their branch (Joins.cpp).
  void recognizeAll(const clang::CompoundStmt *Body,
                    llvm::ArrayRef<TailSite> Sites, unsigned Depth,
                    FunctionState &St, std::vector<Step> &Out);
  /// Why the calls \p Calls of handler \p H, at tail sites of \p Body,
  /// cannot meet after their branch, or nothing (then \p J says where).
  std::optional<std::string>
  joinProblem(const clang::CompoundStmt *Body,
              llvm::ArrayRef<const TailSite *> Calls,
              const clang::FunctionDecl *H, Step::JoinPoint &J) const;
  std::optional<Step> awaitStep(Step S, const TailSite &Site,
                                const ApiRule *Rule, unsigned Depth,
                                FunctionState &St);
  std::optional<Step> handlerStep(Step S, const clang::FunctionDecl *H,
                                  unsigned Depth, FunctionState &St,
                                  bool Conditional);
  /// Records, unless something did already, that the chain goes no
  /// further than handler \p H, and why.
  void stopAt(FunctionState &St, const clang::FunctionDecl *H,
              llvm::StringRef Why);
  /// The reason a handler named at several places stays a function.
  std::string namedElsewhereToo(const clang::FunctionDecl *H,
                                const clang::CallExpr *Site) const;
  /// Why another translation unit may name handler \p H (then it cannot
  /// be inlined and removed), or nothing.
  std::optional<std::string>
  namedElsewhere(const clang::FunctionDecl *H) const;

  // Beside.cpp
  /// Finds the operations that run beside the chain (Plan.Beside).
  void findBeside(FunctionPlan &Plan);
  /// Why \p B cannot run beside the chain, or nothing (then B.Params are
  /// its coroutine's parameters).
  std::optional<std::string> besideProblem(const FunctionPlan &Plan,
                                           BesideOp &B);

  // FunctionChecks.cpp
  std::optional<std::string> functionProblem(const clang::FunctionDecl *F,
                                             const clang::LambdaExpr *L);
  bool checkHandlers(FunctionPlan &Plan, std::string &Why);
  /// Whether \p Plan enters, and holds all of, the loop \p Other is.
  bool covers(const FunctionPlan &Plan, const FunctionPlan &Other);
  /// Whether \p H belongs to a plan that \p Plan covers.
  bool takesOver(const FunctionPlan &Plan, const clang::FunctionDecl *H);
  bool checkLocks(FunctionPlan &Plan, std::string &Why);

  // Captures.cpp
  bool checkCaptures(FunctionPlan &Plan, std::string &Why);
  void checkStepCaptures(FunctionPlan &Plan, const Step &S);
  /// Rates how the lifetime of by-copy capture \p V of step \p S changes.
  void checkCaptureLifetime(FunctionPlan &Plan, const Step &S,
                            const clang::VarDecl *V);

  // Lifetimes.cpp
  /// Rates locals that would live across a co_await they did not live
  /// across before.
  void checkLocals(FunctionPlan &Plan);
  /// Rates variables lent to an API that may call back before it returns.
  void checkLentLocals(FunctionPlan &Plan);
  /// Rates what may throw while the first operation's call is still running.
  void checkInlineFirstSteps(FunctionPlan &Plan);

  clang::ASTContext &Ctx;
  const clang::SourceManager &SM;
  const RuleSet &Rules;
  const AnalysisOptions &Opts;
  AnalysisResult &Out;
  const clang::Preprocessor *PP;

  TUIndex Index;
  llvm::DenseMap<const clang::FunctionDecl *, const ApiRule *> RuleCache;
  std::deque<ApiRule> AnnotationRules; // stable storage for annotated APIs
  /// Functions rewritten or inlined by a plan already: one plan each.
  llvm::SmallPtrSet<const clang::FunctionDecl *, 16> Claimed;
  /// Completion calls looked at in tail position (the others are not).
  llvm::SmallPtrSet<const clang::CallExpr *, 32> SeenCalls;
  std::set<std::pair<unsigned, std::string>> SkipsSeen;
  std::vector<FunctionPlan> Plans;
  llvm::SmallPtrSet<const clang::LambdaExpr *, 16> AllFlattened;
};

} // namespace awaitify::detail

#endif
