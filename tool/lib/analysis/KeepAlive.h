//===- KeepAlive.h - Who owns the object a chain runs on --------*- C++ -*-===//
//
// Internal. Callback code keeps the object its handlers run on alive from
// one handler to the next (`auto self(shared_from_this());`, a bound or
// captured `shared_from_this()`); a coroutine is one frame, so one owner
// taken at its start replaces them all. Dialects call these while planning.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_ANALYSIS_KEEPALIVE_H
#define AWAITIFY_ANALYSIS_KEEPALIVE_H

#include "plan/Plan.h"

namespace awaitify::detail {

/// Marks the `self` keepers and `[self = shared_from_this()]` captures of
/// a plan for removal; the coroutine's own `self` replaces them. Returns
/// whether there were any.
bool dropKeepers(FunctionPlan &Plan);

/// Keep-alives of a chain whose coroutine is the function itself: when a
/// handler owned the object, the coroutine owns it from its start to its
/// end (Plan.KeepSelf).
void planKeepAlive(FunctionPlan &Plan, const clang::SourceManager &SM);

/// For a coroutine that owns the object from its start to its end: every
/// operation of the chain must have been waited for by a callback that
/// owned it, or the object lives longer than it did (risky).
void rateOwnedWaits(FunctionPlan &Plan, const clang::SourceManager &SM);

} // namespace awaitify::detail

#endif
