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
    if (!Enter(*E))
      return true;
    bool Ok = true;
    if (traverseRunOperator(*this, E, Ok))
      return Ok;
    return RecursiveASTVisitor::TraverseLambdaExpr(E);
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
  const FunctionTemplateDecl *T = L->getDependentCallOperator();
  const CXXMethodDecl *Only = nullptr;
  for (const FunctionDecl *S : T->specializations()) {
    if (Only)
      return nullptr;
    Only = dyn_cast<CXXMethodDecl>(S);
  }
  return Only;
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
