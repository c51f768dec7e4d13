//===- Types.h - What the standard library's types do -----------*- C++ -*-===//
//
// Internal. Questions about a type that decide whether a rewrite keeps what
// the program does: whether destroying a value is invisible, whether it owns
// something, whether a copy still refers to its source, whether it is a lock.
// Every answer is keyed on the type's qualified name, never on its spelling.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_ANALYSIS_TYPES_H
#define AWAITIFY_ANALYSIS_TYPES_H

#include "clang/AST/Type.h"

namespace awaitify::detail {

/// Whether destroying a value of type \p T does nothing a program can see
/// but free memory: trivially destructible types, the standard library's
/// strings, containers, optional, pair, tuple, variant and weak_ptr of such
/// types (unique_ptr with the default deleter too), and classes without a
/// user-provided destructor or virtual functions whose bases and members
/// are such types. Captures of these may live longer without changing the
/// program.
bool isPlainType(clang::QualType T);

/// Whether \p T is an owning handle (std::shared_ptr, std::unique_ptr,
/// std::function and Boost's): its target dies with the last copy (or the
/// last owner it was moved to), and only then.
bool isOwningHandle(clang::QualType T);

/// Whether \p T is a standard view (std::basic_string_view, std::span): a
/// copy of it still refers to what it was made from.
bool isView(clang::QualType T);

/// Whether \p T is a lock (std::lock_guard, unique_lock, scoped_lock,
/// shared_lock, or Boost's): holding it across a co_await would hold it
/// while other handlers run.
bool isLock(clang::QualType T);

} // namespace awaitify::detail

#endif
