//===- Guards.h - Tail ifs written as early exits ---------------*- C++ -*-===//
//
// Internal. A handler's tail `if (!ec) { ...next step... } else { fail(); }`
// is the callback code's only way to go on after a check; in a coroutine a
// person writes the check as an early exit and goes straight on:
//
//   if (ec) {
//     fail();
//     co_return;
//   }
//   ...next step...
//
// The arm that ends the chain becomes the guard's body (with `co_return;`
// unless it jumps already); the arm that goes on follows the if, in the
// block around it. The if is the last statement of its block and every
// block around it ends the chain after it, so the two read alike.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_PLAN_GUARDS_H
#define AWAITIFY_PLAN_GUARDS_H

#include "plan/Plan.h"

namespace awaitify::detail {

/// Fills Plan.Guards: the tail ifs of the coroutine's blocks that become
/// early exits, the arm with the chain's next steps going on after them.
void planGuards(FunctionPlan &Plan);

/// Whether \p S lands in block \p Body of the flattened code: a statement of
/// it, or of the going-on arm of a guard at its end (recursively).
bool landsIn(const FunctionPlan &Plan, const clang::CompoundStmt *Body,
             const clang::Stmt *S);

} // namespace awaitify::detail

#endif
