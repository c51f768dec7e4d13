// awaitify/detached.hpp - the return type of a fire-and-forget coroutine.
//
// A function returning `detached` behaves like the callback function it
// replaces: it starts eagerly, so the code before its first suspension runs
// inside the call, and it returns to its caller at the first suspension.
// Later parts run wherever the awaited operations resume it (inside the
// completion call, as the original continuations ran). The frame frees itself
// when the body ends. May be called from any thread.
//
// Exceptions go where the callback code sent them (docs/runtime.md):
//   - thrown before the first suspension, an exception leaves the call, as
//     it left the function before its first operation;
//   - thrown after a completion resumed the coroutine, it leaves that
//     completion call, as it left the callback; the frame is destroyed first
//     (resumed by anything else, it goes to the unhandled-exception handler);
//   - a completion dropped uncalled (broken_promise) ends the coroutine
//     quietly: its destructors run and nothing is thrown, as the callback
//     code simply never ran the rest.
// An exception that leaves a noexcept function on its way (a destructor, say)
// terminates, as it would have in the callback code.
#pragma once

#include <coroutine>
#include <exception>

#include "awaitify/broken_promise.hpp"
#include "awaitify/detail/activation.hpp"
#include "awaitify/unhandled_exception.hpp"

namespace awaitify {

class detached {
 public:
  struct promise_type {
    detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}

    void unhandled_exception() {
      try {
        throw;
      } catch (const broken_promise&) {
        return;  // the chain ends here, as the callback code's did
      } catch (...) {
      }
      // In the ramp the exception leaves the call (the compiler frees the
      // frame). Later it leaves the completion call that resumed the
      // coroutine, once the frame is gone (detail/activation.hpp); with no
      // such call on the stack, nobody is left to take it.
      if (in_ramp_) throw;
      if (detail::escape().resumers != 0) {
        detail::escape().error = std::current_exception();
      } else {
        report_unhandled_exception(std::current_exception());
      }
    }

    // Whether the coroutine is still in its first activation. An awaiter that
    // suspends clears it before suspending (and restores it if it goes on).
    bool in_ramp() const noexcept { return in_ramp_; }
    void set_in_ramp(bool b) noexcept { in_ramp_ = b; }

   private:
    bool in_ramp_ = true;
  };
};

}  // namespace awaitify
