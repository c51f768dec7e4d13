//===- Rewriter.h - Spell a plan out as edits -------------------*- C++ -*-===//
//
// Internal. A plan is spelled as "micro-edits" on the original text, each a
// range and the text that replaces it: a renamed name, `return` ->
// `co_return`, and for each step the whole statement `api(args, [..](T x) {
// body });` replaced by the dialect's await and the body, where `args` and
// `body` are themselves rendered with the micro-edits inside them -- so
// nested steps, renames and returns compose without any edit overlapping
// another. Each step at the top of the function becomes one
// tooling::Replacement; so does each micro-edit outside every step.
//
// The rewriter spells what every dialect shares (flattening, loops, renames,
// removed handlers); a dialect spells its awaits and the function around the
// coroutine through the const interface below.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_REWRITE_REWRITER_H
#define AWAITIFY_REWRITE_REWRITER_H

#include "plan/Plan.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Tooling/Core/Replacement.h"
#include <functional>
#include <map>

namespace awaitify::detail {

struct MicroEdit {
  unsigned Begin;
  unsigned End;
  std::function<std::string()> Render;
  /// The edit keeps the text of its range, around which it adds something:
  /// rendering that range renders what is inside it, not the edit itself.
  bool Wraps = false;
};

/// How a parameter's type is written: as declared without its reference
/// (`const User`), and as a template argument (`User`).
struct WrittenType {
  std::string Decl;
  std::string Arg;
};

class PlanRewriter {
public:
  PlanRewriter(const FunctionPlan &Plan, clang::ASTContext &Ctx,
               llvm::ArrayRef<clang::tooling::Replacement> Nested);

  std::vector<clang::tooling::Replacement> run();

  // --- For dialects --------------------------------------------------------
  const FunctionPlan &plan() const { return Plan; }
  /// Whether back edge \p S is the next turn of a loop that starts with
  /// its operation: it is written `continue;` (or nothing), not as an
  /// assignment of the loop head's parameters.
  bool rotatedAway(const Step &S) const { return RotatedBackEdges.count(&S); }
  /// The function's body (the lambda's, for a lambda).
  const clang::CompoundStmt *body() const;
  const clang::SourceManager &sourceManager() const { return SM; }
  /// The function's file, its text, and its path.
  clang::FileID file() const { return File; }
  llvm::StringRef code() const { return Code; }
  const std::string &path() const { return Path; }
  unsigned offset(clang::SourceLocation L) const {
    return SM.getFileOffset(SM.getFileLoc(L));
  }
  /// The offset just past the token that starts at \p L.
  unsigned tokenEnd(clang::SourceLocation L) const;
  /// The name \p D has in the rewritten code.
  std::string finalName(const clang::ValueDecl *D) const;
  /// [B, E) of the function's file with the edits inside it (and \p Extra).
  std::string render(unsigned B, unsigned E,
                     llvm::ArrayRef<MicroEdit> Extra = {}) const;
  std::string exprText(const clang::Expr *E) const;
  /// The call of await step \p S with \p Callback for its callback.
  std::string callWithCallback(const Step &S, std::string Callback) const;
  WrittenType writtenType(const clang::ParmVarDecl *P) const;
  /// The function's named parameters that its body reads from offset
  /// \p From on, in order.
  llvm::SmallVector<const clang::ParmVarDecl *, 4>
  paramsRead(unsigned From) const;
  /// Whether the coroutine takes \p P by value though it is `const T&`.
  bool takenByValue(const clang::ParmVarDecl *P) const;
  /// Whether the coroutine takes reference parameter \p P as a pointer.
  bool byPointer(const clang::ParmVarDecl *P) const;
  /// The type of the local a parameter of an inlined handler becomes: as
  /// written without its reference, and without `const` for a loop head's
  /// `const T&` or `const T` parameter, which the loop assigns.
  std::string localType(const clang::ParmVarDecl *P) const;
  /// The parameter's type exactly as declared (references included).
  std::string declaredType(const clang::ParmVarDecl *P) const;
  /// A replacement of [B, EndOffset) in B's file.
  clang::tooling::Replacement replace(clang::SourceLocation B,
                                      unsigned EndOffset,
                                      const std::string &Text) const;

  /// Where \p D starts with the comment right above it (Removals.cpp).
  unsigned declarationStart(const clang::Decl *D) const;

private:
  std::string pathOf(clang::FileID F) const;
  /// The offset just past the `;` that ends statement \p S.
  unsigned statementEnd(const clang::Stmt *S) const;
  /// The offset just past the token at \p L, and the `;` after it if any.
  unsigned endWithSemi(clang::SourceLocation L) const;
  llvm::StringRef text(unsigned B, unsigned E) const {
    return Code.substr(B, E - B);
  }
  /// The bodies whose code ends up in the coroutine: the function's and
  /// those of inlined handlers (flattened lambdas are inside these).
  std::vector<const clang::CompoundStmt *> bodies() const;
  void collectNameEdits();
  /// Edits of the uses of reference parameters taken as pointers.
  void collectPointerEdits();
  void collectReturnEdits();
  void collectDroppedEdits();
  void collectStepEdits(const Step &S);
  /// The call of an operation beside the chain becomes the statement that
  /// spawns its coroutine (Delegate.cpp).
  void collectBesideEdits(const BesideOp &B);
  /// How that coroutine declares the copy \p P: `int id`, `const Msg m`.
  std::string besideParam(const BesideOp::Param &P) const;
  void braceOtherArm(const Step &S);
  /// Whether the code of step \p S, one of a switch case's statements,
  /// may declare something: the case needs braces (a later case label must
  /// not jump over a declaration). A back edge only assigns and jumps.
  static bool caseNeedsBraces(const Step &S) {
    return !(S.BackEdge && S.K == Step::HandlerCall);
  }
  std::string renderStep(const Step &S);
  std::string renderBackEdge(const Step &S);
  /// A call that meets others after their branch: the handler's parameters
  /// assigned.
  std::string renderArrival(const Step &S) const;
  /// The edits of the join step \p S, whose own edit ends at \p StepEnd:
  /// the parameters declared, the early ifs' `else {`, and the handler's
  /// code after the block's last statement.
  void collectJoinEdits(const Step &S, unsigned StepEnd);
  std::string renderHandlerCall(const Step &S);
  std::string renderAwaitStep(const Step &S);
  std::string renderAssign(llvm::ArrayRef<clang::ParmVarDecl *> Params,
                           llvm::ArrayRef<std::string> Values,
                           llvm::ArrayRef<const clang::Expr *> Exprs);
  /// The body a step continues in; \p AfterCode: it follows the step's own
  /// code on that code's line (an await), else it starts a line.
  std::string renderContinuation(const Step &S, bool AfterCode);
  /// The comments written in a continuation's parameter list, each on a line
  /// of its own, to go above the variables the parameters become.
  std::string parameterComments(const clang::LambdaExpr *L) const;
  /// Whether the code rendered for \p Body ends with a jump (`continue;` or
  /// `co_return;`), after which nothing runs.
  bool endsWithJump(const clang::CompoundStmt *Body) const;
  bool endsWithJump(const clang::Stmt *Last) const;
  bool stepEndsWithJump(const Step &S) const;
  /// Guards (Plan.Guards): the if becomes `if (exit condition) { exit arm;
  /// co_return; }` and the arm that goes on follows it (Steps.cpp).
  void collectGuardEdits();
  /// Plan.ElseDropped: `else` goes, and an else-block's statements follow
  /// the if.
  void collectDroppedElses();
  std::string renderGuard(const clang::IfStmt *If, bool ThenGoes);
  /// The condition, negated: `!ec` -> `ec`, `n > 0` -> `n <= 0`.
  std::string negated(const clang::Expr *Cond) const;
  /// The code of a statement that lands in the block around it: a compound
  /// statement's contents, or the statement.
  std::string renderInline(const clang::Stmt *S) const;
  /// The back edges whose `continue;` would end their loop's body: they
  /// fall through to the next iteration instead.
  void collectFinalBackEdges(const clang::Stmt *Last,
                             const clang::FunctionDecl *Head);
  void collectRotatedLoops();
  /// `for (;;) { Body }`, ending the loop unless the body jumps at its end.
  std::string loop(const std::string &Body, bool EndsWithJump) const;
  /// The edits of the function's body when it changes shape: a loop, an
  /// owner taken at the start, or the dialect's wrapping.
  void reshapeBody(std::vector<clang::tooling::Replacement> &Out);
  /// What goes away: handlers inlined for good, access sections left empty;
  /// then the edits that remove them, with the blank lines around.
  void removeHandler(const clang::FunctionDecl *H);
  void removeEmptySections();
  void emitRemovals(std::vector<clang::tooling::Replacement> &Out);
  void addHeaders(std::vector<clang::tooling::Replacement> &Out);
  /// The function keeps its signature and starts Plan.Coroutine, whose
  /// body is \p Inner, the code from \p From on (Delegate.cpp); a method's
  /// coroutine is declared in its class once the removals are known
  /// (addPendingMember).
  void delegate(std::string Inner, unsigned From,
                std::vector<clang::tooling::Replacement> &Out);
  void addPendingMember(std::vector<clang::tooling::Replacement> &Out);
  /// The edits in [B, E) that no other edit there contains, in order.
  std::vector<const MicroEdit *>
  outermost(unsigned B, unsigned E, llvm::ArrayRef<MicroEdit> Extra = {}) const;

  const FunctionPlan &Plan;
  /// Edits of chains nested in this one's continuations.
  llvm::ArrayRef<clang::tooling::Replacement> Nested;
  const clang::SourceManager &SM;
  const clang::LangOptions &LangOpts;
  clang::FileID File;
  llvm::StringRef Code;
  std::string Path;
  std::vector<MicroEdit> Edits;
  /// Statements of steps, and the step each one is.
  llvm::DenseMap<const clang::Stmt *, const Step *> StepStatements;
  /// Ranges of whole lines to delete, by file.
  std::map<clang::FileID, std::vector<std::pair<unsigned, unsigned>>> Removals;
  /// Steps that are an unbraced arm of an if.
  std::vector<const Step *> BracedArms;
  llvm::SmallPtrSet<const Step *, 4> FinalBackEdges;
  /// Steps whose edit covers the `return;` or `break;` after them.
  llvm::SmallPtrSet<const Step *, 4> TakenEnders;
  /// Awaits into a loop head that the loop starts with, and the back edges
  /// that repeat them (collectRotatedLoops).
  llvm::SmallPtrSet<const Step *, 4> RotatedLoops;
  llvm::SmallPtrSet<const Step *, 4> RotatedBackEdges;
  /// The member a delegating method adds to its class, next to the
  /// method's declaration there.
  struct {
    const clang::CXXMethodDecl *Method = nullptr;
    std::string Text;
  } PendingMember;
  /// The comment after an unbraced step statement, on its line.
  llvm::DenseMap<const clang::Stmt *, std::string> TrailingComments;
};

/// Spells the edits of a plan (unformatted). \p Nested are the edits of
/// chains inside this one's continuations, to be carried along.
std::vector<clang::tooling::Replacement>
rewritePlan(const FunctionPlan &Plan, clang::ASTContext &Ctx,
            llvm::ArrayRef<clang::tooling::Replacement> Nested = {});

/// Widens the deletion [B, E) of \p Text to whole lines when what it deletes
/// is alone on its lines, so that no blank line is left behind.
void wholeLines(llvm::StringRef Text, unsigned &B, unsigned &E);

} // namespace awaitify::detail

#endif
