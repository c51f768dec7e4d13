// awaitify/detail/activation.hpp - where an exception goes once the coroutine
// it was thrown in has been resumed by a completion.
//
// Terms. An *activation* is one stretch of a coroutine's execution on one
// stack: the first runs inside the call (the *ramp*), each later one inside
// whatever resumed it (for from_callback, the completion call). The callback
// code a coroutine replaces threw to exactly those places: before the first
// operation, to the caller; inside a continuation, out of the call of the
// callback. An exception escaping a detached coroutine in its ramp leaves the
// call by itself (the compiler frees the frame). One escaping a later
// activation is not rethrown from the coroutine: the standard would leave the
// frame suspended at its final suspend point, and destroying a frame there
// runs some locals' destructors twice with clang -O2. Instead the coroutine
// puts the exception in a thread-local slot and ends normally (its frame is
// freed as usual); the completion call that resumed it takes the exception
// out of the slot and throws it on to its own caller.
//
// An exception can also reach an activation after the coroutine has moved
// on: an API that called back inline lets the continuation's exception (or
// its own) out of the call that started the operation, after the coroutine
// went on inside that call. The callback code threw it out of the function
// that started the operation; the awaiter hands it to the place the current
// activation throws to: the slot of the completion call that resumed it. In
// the ramp there is no such place: the call returns normally once the
// coroutine has gone on (throwing from the ramp's await would resume a
// coroutine that is no longer there, and a `detached` whose destructor
// throws is beyond GCC 12), so the exception goes to the unhandled-exception
// handler. The tool names that assumption on chains whose first operation
// may complete inline and whose later steps may throw.
#pragma once

#include <concepts>
#include <coroutine>
#include <exception>
#include <utility>

#include "awaitify/unhandled_exception.hpp"

namespace awaitify::detail {

// The exception leaving the current activation, and how many completion
// calls on this thread are resuming a coroutine right now (none: nobody
// would take the exception out of the slot).
struct escape_slot {
  std::exception_ptr error;
  unsigned resumers = 0;
};

inline escape_slot& escape() noexcept {
  static thread_local escape_slot slot;
  return slot;
}

// A promise whose frame stays allocated while an operation it started is
// still inside its starting call, and that knows whether the coroutine is
// still in its first activation (the ramp). `hold` adds an owner of the
// frame; `release` drops one and says whether it was the last, in which case
// the caller destroys the frame. The body itself is one owner, given up at
// the final suspend point.
template <class Promise>
concept holds_its_frame = requires(Promise& p, bool b) {
  { p.in_ramp() } noexcept -> std::same_as<bool>;
  { p.set_in_ramp(b) } noexcept;
  { p.hold() } noexcept;
  { p.release() } noexcept -> std::same_as<bool>;
};

// Sends `e`, which left the current activation after the coroutine moved
// on, where that activation throws to (see the top of this file).
inline void leave_activation(std::exception_ptr e, bool in_ramp) noexcept {
  escape_slot& slot = escape();
  if (!in_ramp && slot.resumers != 0) {
    slot.error = std::move(e);
  } else {
    report_unhandled_exception(std::move(e));
  }
}

// Resumes `h` as a completion call does. An exception the activation lets
// escape, or leaves in the slot, comes out of this call.
inline void resume_from_completion(std::coroutine_handle<> h) {
  escape_slot& slot = escape();
  slot.error = nullptr;  // anything left over belongs to no activation
  ++slot.resumers;
  struct leave {
    escape_slot& slot;
    ~leave() { --slot.resumers; }
  } guard{slot};
  h.resume();
  if (std::exception_ptr e = std::exchange(slot.error, nullptr)) std::rethrow_exception(e);
}

}  // namespace awaitify::detail
