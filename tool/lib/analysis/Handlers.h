//===- Handlers.h - Named handlers ------------------------------*- C++ -*-===//
//
// Internal. Recognises the ways callback code names its continuation when it
// is not a lambda: a member bound to the object (`std::bind(&conn::on_read,
// shared_from_this(), _1, _2)`, `std::bind_front(&C::h, this)`, and the
// binders dialects know, such as `beast::bind_front_handler`), a tail call
// of a sibling member (`do_write(length);`), and the owners of the object a
// chain runs on (`shared_from_this()`, `self`). Such a function is a
// handler: it is inlined into the coroutine, or, when the chain comes back
// to it, becomes the head of a loop.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_ANALYSIS_HANDLERS_H
#define AWAITIFY_ANALYSIS_HANDLERS_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"

namespace awaitify::detail {

/// Whether \p H can be inlined as a handler of a chain in \p Enclosing: a
/// non-virtual void member of the same class (or, for a free function, a
/// free function) with a body in the same file, not a template.
bool isHandlerCandidate(const clang::FunctionDecl *H,
                        const clang::FunctionDecl *Enclosing,
                        const clang::SourceManager &SM);

/// The member a completion handler argument binds to the object, or null.
/// A bind_front-style binder (`std::bind_front(&C::h, self, a, b)`) also
/// binds leading arguments: they go to \p Bound (when given), and h's first
/// parameters receive them. `std::bind` passes the placeholders in order,
/// with bound values before them or after them (then \p BoundLast: h's
/// last parameters receive the values).
const clang::FunctionDecl *
boundHandler(const clang::Expr *Arg,
             llvm::SmallVectorImpl<const clang::Expr *> *Bound = nullptr,
             bool *BoundLast = nullptr);

/// Whether \p E owns the object it names: `shared_from_this()` or a local
/// holding it (`self`), as opposed to `this`.
bool ownsObject(const clang::Expr *E);

/// Whether a completion handler argument binds a member to an owner of the
/// object (`std::bind_front(&C::h, shared_from_this())`).
bool bindsOwner(const clang::Expr *Arg);

/// Whether \p RD derives from std:: or boost::enable_shared_from_this.
bool sharesOwnership(const clang::CXXRecordDecl *RD);

/// Whether \p S is `auto self(shared_from_this());` or `auto self =
/// shared_from_this();`: a local that only keeps the object alive. Returns
/// the variable.
const clang::VarDecl *selfKeeper(const clang::Stmt *S);

/// Whether \p V is initialised with `shared_from_this()`: an owner of the
/// object the chain runs on.
bool ownsThis(const clang::VarDecl *V);

} // namespace awaitify::detail

#endif
