//===- Walk.cpp - One traversal for the simple AST searches ---------------===//

#include "support/Walk.h"

#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace awaitify::detail {

namespace {
class Walker : public RecursiveASTVisitor<Walker> {
public:
  Walker(llvm::function_ref<bool(const Stmt &)> Visit,
         llvm::function_ref<bool(const LambdaExpr &)> Enter)
      : Visit(Visit), Enter(Enter) {}

  bool TraverseLambdaExpr(LambdaExpr *E) {
    return !Enter(*E) || traverseAsRun(*this, E);
  }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
  bool VisitStmt(Stmt *S) { return Visit(*S); }

private:
  llvm::function_ref<bool(const Stmt &)> Visit;
  llvm::function_ref<bool(const LambdaExpr &)> Enter;
};
} // namespace

const CXXMethodDecl *runOperator(const LambdaExpr *L) {
  if (!L->isGenericLambda())
    return L->getCallOperator();
  const CXXMethodDecl *Only = nullptr;
  for (const FunctionDecl *S : runSpecializations(L)) {
    if (Only)
      return nullptr;
    Only = cast<CXXMethodDecl>(S);
  }
  return Only;
}

llvm::SmallVector<const FunctionDecl *, 1>
runSpecializations(const LambdaExpr *L) {
  // Specializations only declared (an is_invocable test, say) do not run.
  llvm::SmallVector<const FunctionDecl *, 1> Out;
  for (const FunctionDecl *S :
       L->getDependentCallOperator()->specializations())
    if (S->getBody())
      Out.push_back(S);
  return Out;
}

bool walk(const Stmt *Root, llvm::function_ref<bool(const Stmt &)> Visit,
          llvm::function_ref<bool(const LambdaExpr &)> Enter) {
  return Walker(Visit, Enter).TraverseStmt(const_cast<Stmt *>(Root));
}

bool walk(const Stmt *Root, llvm::function_ref<bool(const Stmt &)> Visit,
          Lambdas L) {
  return walk(Root, Visit,
              [L](const LambdaExpr &) { return L == Lambdas::Enter; });
}

} // namespace awaitify::detail
