//===- Tails.h - Statements in tail position --------------------*- C++ -*-===//
//
// Internal. A completion call becomes a `co_await` without reordering
// anything only where nothing in the enclosing frame runs after it: in tail
// position (see Chain.h).
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_ANALYSIS_TAILS_H
#define AWAITIFY_ANALYSIS_TAILS_H

#include "clang/AST/Stmt.h"
#include "llvm/ADT/SmallVector.h"

namespace awaitify::detail {

/// A statement in tail position.
struct TailSite {
  const clang::Stmt *S;
  /// The statement is in an arm of an if: it runs only sometimes.
  bool Conditional = false;
  /// The if whose arm the statement is, when it is the arm itself
  /// (unbraced).
  const clang::IfStmt *ArmOf = nullptr;
  /// What ends the frame right after the statement: a bare `return;`, or
  /// the `break;` of a switch in tail position.
  const clang::Stmt *Ender = nullptr;
  /// When the statement is one of a switch's cases, not in a block of its
  /// own: the case's first statement. Declarations the rewrite puts there
  /// need braces around the case.
  const clang::Stmt *CaseBegin = nullptr;
};

/// Collects the statements of \p S that are in tail position: the last
/// statement of a block that is itself in tail position, any statement
/// followed by a bare `return;`, the arms of an if/else in such a place, and
/// the statements of a switch's cases that are followed by its `break;` or
/// end it, when the switch is in such a place.
void collectTails(const clang::Stmt *S, bool InTail,
                  llvm::SmallVectorImpl<TailSite> &Out,
                  bool Conditional = false,
                  const clang::IfStmt *ArmOf = nullptr);

} // namespace awaitify::detail

#endif
