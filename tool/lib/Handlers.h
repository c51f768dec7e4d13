//===- Handlers.h - Named handlers and Asio idioms --------------*- C++ -*-===//
//
// Internal. Recognises the ways callback code names its continuation when it
// is not a lambda: a member bound to the object (`beast::bind_front_handler(
// &session::on_read, shared_from_this())`, `std::bind(&conn::on_read,
// shared_from_this(), _1, _2)`), a tail call of a sibling member
// (`do_write(length);`), and an executor hop (`net::dispatch(ex,
// bind_front_handler(&session::do_read, self))`). Such a function is a
// handler: it is inlined into the coroutine, or, when the chain comes back
// to it, becomes the head of a loop.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_LIB_HANDLERS_H
#define AWAITIFY_LIB_HANDLERS_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include <string>

namespace awaitify::detail {

/// How many arguments a call writes: the defaulted ones at its end left out.
unsigned writtenArgs(const clang::CallExpr *Call);

/// What a call passes for parameter \p P of its callee: the argument as
/// written, or the parameter's default.
const clang::Expr *argumentFor(const clang::CallExpr *Call,
                               const clang::ParmVarDecl *P);

/// Whether \p H can be inlined as a handler of a chain in \p Enclosing: a
/// non-virtual void member of the same class (or, for a free function, a
/// free function) with a body in the same file, not a template.
bool isHandlerCandidate(const clang::FunctionDecl *H,
                        const clang::FunctionDecl *Enclosing,
                        const clang::SourceManager &SM);

/// The member a completion handler argument binds to the object, or null.
/// `bind_front_handler(&C::h, self, a, b)` also binds leading arguments:
/// they go to \p Bound (when given), and h's first parameters receive them.
const clang::FunctionDecl *
boundHandler(const clang::Expr *Arg,
             llvm::SmallVectorImpl<const clang::Expr *> *Bound = nullptr);

/// For `dispatch(ex, bound)` of Asio: the bound member, and the executor
/// expression in \p Executor. Not `post`: it always runs the handler on a
/// later turn, after work already queued, which a hop inside the coroutine
/// would have to keep.
const clang::FunctionDecl *executorHop(const clang::CallExpr *Call,
                                       const clang::Expr *&Executor);

/// Whether \p E owns the object it names: `shared_from_this()` or a local
/// holding it (`self`), as opposed to `this`.
bool ownsObject(const clang::Expr *E);

/// Whether a completion handler argument binds a member to an owner of the
/// object (`std::bind_front(&C::h, shared_from_this())`).
bool bindsOwner(const clang::Expr *Arg);

/// Whether destroying a value of type \p T does nothing a program can see
/// but free memory: trivially destructible types, the standard library's
/// strings, containers, optional, pair, tuple, variant and weak_ptr of such
/// types (owning pointers to such types too), and classes without a
/// user-provided destructor or virtual functions whose bases and members
/// are such types. Captures of these may live longer without changing the program.
bool isPlainType(clang::QualType T);

/// Whether \p T is an owning handle (std::shared_ptr, std::unique_ptr,
/// std::function): its target dies with the last copy (or the last owner
/// it was moved to), and only then.
bool isOwningHandle(clang::QualType T);

/// Whether \p RD derives from std:: or boost::enable_shared_from_this.
bool sharesOwnership(const clang::CXXRecordDecl *RD);

/// Whether \p S is `auto self(shared_from_this());` or `auto self =
/// shared_from_this();`: a local that only keeps the object alive. Returns
/// the variable.
const clang::VarDecl *selfKeeper(const clang::Stmt *S);

/// Whether \p E is `shared_from_this()` (maybe copied).
bool isShareFromThis(const clang::Expr *E);

/// Whether \p V is initialised with `shared_from_this()`: an owner of the
/// object the chain runs on.
bool ownsThis(const clang::VarDecl *V);

/// Whether a type is an error code (std::error_code, boost::system::
/// error_code, beast::error_code, ...).
bool isErrorCode(clang::QualType T);

/// The I/O object of an Asio operation: the object of a member call, or the
/// first argument of a free function. Null when there is none.
const clang::Expr *ioObject(const clang::CallExpr *Call);

/// The spelling of the Asio namespace the file uses for \p LibraryNs
/// ("boost::asio" or "asio"): a namespace alias of it declared in \p File
/// (e.g. `net`), else the namespace itself.
std::string asioNamespaceSpelling(clang::ASTContext &Ctx,
                                  llvm::StringRef LibraryNs);

} // namespace awaitify::detail

#endif
