//===- Lent.h - What a call receives, and from whom -------------*- C++ -*-===//
//
// Internal. How a completion call receives each argument decides whether
// the callee can change, or keep using, a variable of the chain: shared by
// the checks of captures and of lent variables.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_ANALYSIS_LENT_H
#define AWAITIFY_ANALYSIS_LENT_H

#include "clang/AST/Expr.h"
#include "clang/AST/Decl.h"

namespace awaitify::detail {

/// How a call receives one of its arguments.
enum class Passing {
  Copy,     ///< its own copy: the argument can die or change meanwhile
  ReadOnly, ///< a reference to const or a string_view: kept, not changed
  Shared,   ///< a reference, pointer or span the callee may change it through
};

/// How \p Call receives argument \p I; Shared when unknown (no declaration,
/// a variadic or dependent parameter).
Passing passing(const clang::CallExpr *Call, unsigned I);

/// The variable of the chain that argument \p A lends: named by it, or by
/// the object it takes the address of or a member or element of; only
/// variables that the coroutine owns (its parameters and locals, and the
/// reference parameters in \p Copied, which become copies), not references
/// to others' objects.
const clang::VarDecl *
lentVariable(const clang::Expr *A,
             llvm::ArrayRef<const clang::ParmVarDecl *> Copied);

/// The variable a capture initialiser only passes along: `x`,
/// `std::move(x)`, or a copy/move of either.
const clang::ValueDecl *carriedVariable(const clang::Expr *Init);

} // namespace awaitify::detail

#endif
