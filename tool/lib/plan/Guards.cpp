//===- Guards.cpp - Tail ifs written as early exits -----------------------===//
#include "plan/Guards.h"
#include "support/Walk.h"
#include "llvm/ADT/StringMap.h"

using namespace clang;

namespace awaitify::detail {

namespace {
class GuardPlanner {
public:
  explicit GuardPlanner(FunctionPlan &Plan) : Plan(Plan) {}

  void run() {
    forEachStep(Plan.Roots, [&](const Step &S) {
      StepStatements[S.Statement] = &S;
    });
    countNames();
    const Stmt *Body = Plan.Lambda ? Plan.Lambda->getBody()
                                   : Plan.Function->getBody();
    tailOf(dyn_cast<CompoundStmt>(Body));
    forEachStep(Plan.Roots, [&](const Step &S) {
      if (!S.BackEdge)
        tailOf(S.body());
    });
  }

private:
  /// How many declarations of each name the code has (the function's and
  /// its handlers' parameters and locals, lambdas' included).
  void countNames() {
    auto Count = [&](const NamedDecl *D) {
      if (D->getIdentifier())
        ++Names[D->getName()];
    };
    auto Visit = [&](const Stmt &S) {
      if (const auto *DS = dyn_cast<DeclStmt>(&S))
        for (const Decl *D : DS->decls()) {
          if (const auto *DD = dyn_cast<DecompositionDecl>(D))
            for (const BindingDecl *B : DD->bindings())
              Count(B);
          else if (const auto *ND = dyn_cast<NamedDecl>(D))
            Count(ND);
        }
      if (const auto *L = dyn_cast<LambdaExpr>(&S)) {
        for (const ParmVarDecl *P : L->getCallOperator()->parameters())
          Count(P);
        for (const LambdaCapture &C : L->captures())
          if (C.capturesVariable() && L->isInitCapture(&C))
            Count(C.getCapturedVar());
      }
      return true;
    };
    std::vector<const FunctionDecl *> Functions{Plan.Function};
    Functions.insert(Functions.end(), Plan.Inlined.begin(), Plan.Inlined.end());
    for (const FunctionDecl *F : Functions) {
      for (const ParmVarDecl *P : F->parameters())
        Count(P);
      walk(F->getBody(), Visit);
    }
  }

  bool goesOn(const Stmt *Arm) const {
    return Arm && !walk(Arm, [&](const Stmt &S) {
      return !StepStatements.count(&S);
    });
  }

  /// Whether the locals the going-on arm declares can join the block
  /// around the if: no other declaration anywhere has their name.
  bool localsJoin(const Stmt *Arm) const {
    const auto *C = dyn_cast<CompoundStmt>(Arm);
    if (!C)
      return true;
    for (const Stmt *Child : C->body())
      if (const auto *DS = dyn_cast<DeclStmt>(Child))
        for (const Decl *D : DS->decls()) {
          const auto *ND = dyn_cast<NamedDecl>(D);
          if (isa<DecompositionDecl>(D) ||
              (ND && ND->getIdentifier() && Names.lookup(ND->getName()) > 1))
            return false;
        }
    return true;
  }

  /// Whether the code of \p S ends with a jump once rewritten, whatever
  /// else is decided: `return` (`co_return;`), `continue;`, a back edge
  /// (`continue;`: no back edge inside an if's arm ends its loop's body),
  /// `return api(...);`, or an if/else whose arms both do.
  bool jumpsAtEnd(const Stmt *S) const {
    if (const auto *C = dyn_cast_or_null<CompoundStmt>(S))
      return !C->body_empty() && jumpsAtEnd(C->body_back());
    if (!S || isa<ReturnStmt, ContinueStmt>(S))
      return S != nullptr;
    if (const Step *Step = StepStatements.lookup(S))
      return Step->BackEdge && !Step->Arrives;
    if (const auto *If = dyn_cast<IfStmt>(S))
      return !Plan.Guards.count(If) && If->getElse() &&
             jumpsAtEnd(If->getThen()) && jumpsAtEnd(If->getElse());
    return false;
  }

  static bool inMacro(const Stmt *S) {
    return S && (S->getBeginLoc().isMacroID() || S->getEndLoc().isMacroID());
  }

  void tailOf(const CompoundStmt *Body) {
    if (Body && !Body->body_empty())
      tail(Body->body_back());
  }

  /// \p Last ends a block; \p InArm: it is an arm of an if (`else if`),
  /// with no block of its own for an arm hoisted after it.
  void tail(const Stmt *Last, bool InArm = false) {
    const auto *If = dyn_cast_or_null<IfStmt>(Last);
    if (!If)
      return;
    const Stmt *Then = If->getThen(), *Else = If->getElse();
    bool ThenGoes = goesOn(Then), ElseGoes = goesOn(Else);
    const Stmt *Exit = ThenGoes ? Else : Then;
    const Stmt *On = ThenGoes ? Then : Else;
    bool Guard = ThenGoes != ElseGoes && !If->isConstexpr() &&
                 !If->isConsteval() && !If->getInit() &&
                 !If->getConditionVariable() && !inMacro(If) &&
                 !inMacro(If->getCond()) && !inMacro(Then) && !inMacro(Else) &&
                 !isa_and_nonnull<IfStmt>(Exit) && localsJoin(On) && !InArm;
    if (!Guard) {
      // A then-arm that jumps at its end needs no else: what the else-arm
      // does follows the if (`if (a) { ...; continue; } if (b) { ... }`).
      bool DropElse =
          Else && !InArm && !If->isConstexpr() && !If->isConsteval() &&
          !inMacro(If) && !inMacro(Then) && !inMacro(Else) &&
          jumpsAtEnd(Then) &&
          (isa<IfStmt>(Else) || (isa<CompoundStmt>(Else) && localsJoin(Else)));
      if (DropElse)
        Plan.ElseDropped.insert(If);
      for (const Stmt *Arm : {Then, Else}) {
        if (const auto *C = dyn_cast_or_null<CompoundStmt>(Arm))
          tailOf(C);
        else
          tail(Arm, /*InArm=*/!(DropElse && Arm == Else));
      }
      return;
    }
    Plan.Guards[If] = ThenGoes;
    if (const auto *C = dyn_cast<CompoundStmt>(On))
      tailOf(C);
    else
      tail(On);
  }

  FunctionPlan &Plan;
  llvm::DenseMap<const Stmt *, const Step *> StepStatements;
  llvm::StringMap<unsigned> Names;
};

bool landsAtTail(const FunctionPlan &Plan, const Stmt *Last, const Stmt *S) {
  const auto *If = dyn_cast_or_null<IfStmt>(Last);
  if (!If)
    return false;
  const Stmt *On = nullptr;
  if (auto It = Plan.Guards.find(If); It != Plan.Guards.end())
    On = It->second ? If->getThen() : If->getElse();
  else if (Plan.ElseDropped.count(If))
    On = If->getElse();
  else
    return false;
  if (On == S)
    return true;
  if (const auto *C = dyn_cast<CompoundStmt>(On))
    return landsIn(Plan, C, S);
  return landsAtTail(Plan, On, S);
}
} // namespace

void planGuards(FunctionPlan &Plan) { GuardPlanner(Plan).run(); }

bool landsIn(const FunctionPlan &Plan, const CompoundStmt *Body,
             const Stmt *S) {
  if (llvm::is_contained(Body->body(), S))
    return true;
  return !Body->body_empty() && landsAtTail(Plan, Body->body_back(), S);
}

} // namespace awaitify::detail
