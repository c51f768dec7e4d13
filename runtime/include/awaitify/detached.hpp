// awaitify/detached.hpp - the return type of a fire-and-forget coroutine.
//
// A function returning `detached` behaves like the callback function it
// replaces: it starts eagerly, so the code before its first suspension runs
// inside the call, and it returns to its caller at the first suspension.
// Later parts run wherever the awaited operations resume it: inside the
// completion call, as the original continuations ran, also when the API
// calls back before it returns (from_callback suspends before it starts the
// operation, so such a continuation runs inside the API's call, ahead of
// whatever the API does after calling back). The frame frees itself when the
// body has ended and no operation it started is still inside its starting
// call (whose arguments may refer to the frame). May be called from any
// thread.
//
// Exceptions go where the callback code sent them (docs/runtime.md):
//   - thrown before the first suspension, an exception leaves the call, as
//     it left the function before its first operation;
//   - thrown after a completion resumed the coroutine, it leaves that
//     completion call, as it left the callback; the frame is destroyed first
//     unless the operation is still in its starting call;
//   - thrown out of the call that started an operation after the coroutine
//     went on inside that call (an inline completion), it leaves the
//     completion call that resumed the activation that started the
//     operation, as it left the callback that called the API;
//   - thrown that way in the first activation (the first operation called
//     back inline), it goes to the unhandled-exception handler: in the
//     callback code it left the call, but a coroutine that has gone on can
//     no longer throw out of its call (detail/activation.hpp). The tool
//     names this assumption where it can happen. So does one thrown after a
//     resumption by something other than a completion call;
//   - a completion dropped uncalled (broken_promise) ends the coroutine
//     quietly: its destructors run and nothing is thrown, as the callback
//     code simply never ran the rest.
// An exception that leaves a noexcept function on its way (a destructor, say)
// terminates, as it would have in the callback code.
#pragma once

#include <atomic>
#include <coroutine>
#include <exception>
#include <utility>

#include "awaitify/broken_promise.hpp"
#include "awaitify/detail/activation.hpp"
#include "awaitify/unhandled_exception.hpp"

namespace awaitify {

class detached {
 public:
  struct promise_type {
    detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }

    // The body gives up its hold on the frame; the last holder frees it.
    struct final_awaiter {
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<promise_type> h) const noexcept {
        if (h.promise().release()) h.destroy();
      }
      void await_resume() const noexcept {}
    };
    final_awaiter final_suspend() noexcept { return {}; }
    void return_void() noexcept {}

    // Awaitables that can resume the coroutine inside the call of their
    // completion, also before the operation's starting call returns, are
    // asked to (from_callback): that is where the callbacks ran.
    template <class Awaitable>
    Awaitable&& await_transform(Awaitable&& a) noexcept {
      if constexpr (requires { a.nest_in_completions(); }) a.nest_in_completions();
      return std::forward<Awaitable>(a);
    }

    void unhandled_exception() {
      try {
        throw;
      } catch (const broken_promise&) {
        return;  // the chain ends here, as the callback code's did
      } catch (...) {
      }
      // In the ramp the exception leaves the call (the compiler frees the
      // frame). Later it leaves the completion call that resumed the
      // coroutine, once the body has ended (detail/activation.hpp).
      if (in_ramp_) throw;
      detail::leave_activation(std::current_exception(), false);
    }

    // Whether the coroutine is still in its first activation. An awaiter that
    // suspends clears it before suspending (and restores it if it goes on).
    bool in_ramp() const noexcept { return in_ramp_; }
    void set_in_ramp(bool b) noexcept { in_ramp_ = b; }

    // Owners of the frame: the body, and each operation still inside the
    // call that started it.
    void hold() noexcept { holders_.fetch_add(1, std::memory_order_relaxed); }
    bool release() noexcept { return holders_.fetch_sub(1, std::memory_order_acq_rel) == 1; }

   private:
    bool in_ramp_ = true;
    std::atomic<unsigned> holders_{1};
  };
};

}  // namespace awaitify
