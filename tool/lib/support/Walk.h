//===- Walk.h - One traversal for the simple AST searches -------*- C++ -*-===//
//
// Internal. Most searches of the analysis and the rewriter look at every
// statement and expression under one node and keep a flag or a set. Each
// RecursiveASTVisitor subclass instantiates the whole traversal again (a few
// hundred functions, seconds of build time each); `walk` instantiates it
// once, and a search is a lambda.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_LIB_WALK_H
#define AWAITIFY_LIB_WALK_H

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
template <typename Derived> class RecursiveASTVisitor;
} // namespace clang

namespace awaitify::detail {

/// The call operator a lambda runs: its own, or for a generic lambda (`auto`
/// parameters) the one specialization the program instantiates, whose
/// parameters have the types the caller passes and whose calls are resolved.
/// Null for a generic lambda instantiated never or more than once.
const clang::CXXMethodDecl *runOperator(const clang::LambdaExpr *L);

/// The specializations of generic lambda \p L's call operator that have a
/// body (those the program may run).
llvm::SmallVector<const clang::FunctionDecl *, 1>
runSpecializations(const clang::LambdaExpr *L);

/// For a RecursiveASTVisitor's TraverseLambdaExpr: traverses \p L as it
/// runs. A generic lambda with one specialization is visited, then its
/// captures, then that specialization's parameters and body: the searches
/// of the analysis meet the declarations and calls its steps hold, not the
/// pattern's. Any other lambda is traversed as RecursiveASTVisitor does.
template <class Visitor>
bool traverseAsRun(Visitor &V, clang::LambdaExpr *L) {
  const clang::CXXMethodDecl *Op =
      L->isGenericLambda() ? runOperator(L) : nullptr;
  if (!Op || !Op->getBody()) // the base's own traversal (not virtual)
    return static_cast<clang::RecursiveASTVisitor<Visitor> &>(V)
        .TraverseLambdaExpr(L);
  bool Ok = V.WalkUpFromLambdaExpr(L);
  for (unsigned I = 0, N = L->capture_size(); Ok && I != N; ++I)
    if (L->capture_begin()[I].isExplicit())
      Ok = V.TraverseLambdaCapture(L, L->capture_begin() + I,
                                   L->capture_init_begin()[I]);
  for (clang::ParmVarDecl *P : Op->parameters())
    Ok = Ok && V.TraverseDecl(P);
  return Ok && V.TraverseStmt(Op->getBody());
}

/// Whether a walk enters the lambdas it meets. A lambda's body runs when the
/// lambda is called, not where it is written: searches for what a piece of
/// code does there skip them.
enum class Lambdas { Enter, Skip };

/// Calls \p Visit on \p Root and on every statement and expression below it,
/// parents before children, in the order RecursiveASTVisitor visits them
/// (through declarations too: a variable's initializer is below its
/// DeclStmt). Implicit code, template instantiations and the members of
/// local classes are not visited (those run when called, not here); with
/// Lambdas::Skip, a LambdaExpr is neither visited nor entered. The walk stops
/// at the first \p Visit that returns false; then walk returns false.
bool walk(const clang::Stmt *Root,
          llvm::function_ref<bool(const clang::Stmt &)> Visit,
          Lambdas L = Lambdas::Enter);

/// The same, entering (and visiting) only the lambdas \p Enter accepts.
bool walk(const clang::Stmt *Root,
          llvm::function_ref<bool(const clang::Stmt &)> Visit,
          llvm::function_ref<bool(const clang::LambdaExpr &)> Enter);

} // namespace awaitify::detail

#endif // AWAITIFY_LIB_WALK_H
