//===- Index.h - What the analysis needs from the whole TU ------*- C++ -*-===//
//
// Internal. One walk over the translation unit (outside system headers)
// collects the functions and lambdas to analyse, the calls that pass a
// callback, and where each function is named -- what the analysis of a
// single function needs to know about all the others.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_ANALYSIS_INDEX_H
#define AWAITIFY_ANALYSIS_INDEX_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <vector>

namespace awaitify::detail {

struct TUIndex {
  /// Functions with a body (lambdas' call operators apart), and lambdas.
  std::vector<const clang::FunctionDecl *> Functions;
  std::vector<const clang::LambdaExpr *> Lambdas;
  /// Calls whose last argument is a lambda or a bound handler, and the
  /// function (or lambda call operator) each is in.
  std::vector<std::pair<const clang::CallExpr *, const clang::FunctionDecl *>>
      CallbackCalls;
  /// Where each function is named (calls included), by canonical decl.
  llvm::DenseMap<const clang::FunctionDecl *,
                 llvm::SmallVector<clang::SourceLocation, 2>>
      ReferenceSites;
  /// Free functions named other than as a callee: their address is taken.
  llvm::SmallPtrSet<const clang::FunctionDecl *, 8> AddressTaken;

  static TUIndex build(clang::ASTContext &Ctx);

  unsigned references(const clang::FunctionDecl *F) const {
    auto It = ReferenceSites.find(F->getCanonicalDecl());
    return It == ReferenceSites.end() ? 0 : It->second.size();
  }
};

} // namespace awaitify::detail

#endif
