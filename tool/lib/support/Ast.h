//===- Ast.h - Small questions about the AST --------------------*- C++ -*-===//
//
// Internal. Helpers every stage uses: the qualified name rule files and
// typed decisions use, what a call passes, where a statement's call is, and
// positions in the file being rewritten.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_SUPPORT_AST_H
#define AWAITIFY_SUPPORT_AST_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include <string>

namespace awaitify::detail {

/// The qualified name rule files use: namespaces and classes, without
/// template arguments, inline or anonymous namespaces ("" for a declaration
/// inside a function, which no rule can name).
std::string qualifiedName(const clang::NamedDecl *D);

/// Whether \p D (or, for a specialisation, its template) has the qualified
/// name \p Name: `isNamed(Callee, "std::bind")`.
bool isNamed(const clang::NamedDecl *D, llvm::StringRef Name);

/// Whether other translation units may see \p F, and so depend on its
/// signature: it has external linkage, or a declaration of it is in a file
/// other than the main file (a header).
bool othersSee(const clang::FunctionDecl *F, const clang::SourceManager &SM);

/// The qualified name of the class (or class template) \p T is, after
/// references and aliases: "std::basic_string" for std::string; "" for a
/// type that is not a class.
std::string classTemplateName(clang::QualType T);

/// The lambda an argument is, looking through the conversions a call adds
/// (to std::function, a temporary, ...); null when it is not one.
const clang::LambdaExpr *lambdaArgument(const clang::Expr *E);

/// How many arguments a call writes: the defaulted ones at its end left out.
unsigned writtenArgs(const clang::CallExpr *Call);

/// What a call passes for parameter \p P of its callee: the argument as
/// written, or the parameter's default.
const clang::Expr *argumentFor(const clang::CallExpr *Call,
                               const clang::ParmVarDecl *P);

/// The call a statement is (`f(...);` or `return f(...);`), or null.
const clang::CallExpr *statementCall(const clang::Stmt *S);

/// Whether \p S is `return;`.
bool isBareReturn(const clang::Stmt *S);

/// Whether a location is in a macro expansion (or invalid).
inline bool inMacro(clang::SourceLocation L) {
  return L.isInvalid() || L.isMacroID();
}

/// Whether \p L lies in \p R. Both are in the function being analysed, so
/// comparing file offsets is enough (and much cheaper than ordering in the
/// translation unit).
bool contains(const clang::SourceManager &SM, clang::SourceRange R,
              clang::SourceLocation L);

/// Whether [B, E) of \p Text is whole lines: from a line's start to just
/// past a newline.
inline bool isWholeLines(llvm::StringRef Text, unsigned B, unsigned E) {
  return B < E && E <= Text.size() && (B == 0 || Text[B - 1] == '\n') &&
         Text[E - 1] == '\n';
}

/// The text of \p E as written (macro arguments at their spelling).
std::string spelling(const clang::Expr *E, const clang::ASTContext &Ctx);

/// The value of an object-like macro that is one integer (a library's
/// version, `BOOST_VERSION`), or nothing.
std::optional<unsigned> macroNumber(const clang::Preprocessor *PP,
                                    llvm::StringRef Name);

} // namespace awaitify::detail

#endif
