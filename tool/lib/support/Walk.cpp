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
    return !Enter(*E) || RecursiveASTVisitor::TraverseLambdaExpr(E);
  }
  bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }
  bool VisitStmt(Stmt *S) { return Visit(*S); }

private:
  llvm::function_ref<bool(const Stmt &)> Visit;
  llvm::function_ref<bool(const LambdaExpr &)> Enter;
};
} // namespace

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
