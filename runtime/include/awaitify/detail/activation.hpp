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
#pragma once

#include <concepts>
#include <coroutine>
#include <exception>
#include <utility>

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

// A promise that knows whether it is still in its first activation (the
// ramp); awaiters that suspend it keep that up to date.
template <class Promise>
concept knows_its_ramp = requires(Promise& p, bool b) {
  { p.in_ramp() } noexcept -> std::same_as<bool>;
  { p.set_in_ramp(b) } noexcept;
};

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
