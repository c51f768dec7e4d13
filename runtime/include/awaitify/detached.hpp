// awaitify/detached.hpp - the return type of a fire-and-forget coroutine.
//
// A function returning `detached` behaves like the callback function it
// replaces: it starts eagerly, so the code before its first suspension runs
// inside the call, and it returns to its caller at the first suspension.
// Later parts run wherever the awaited operations resume it (inside the
// completion call, as the original continuations ran). The frame frees itself
// when the body ends. Nobody awaits a detached coroutine, so an exception
// escaping its body goes to the unhandled-exception handler
// (unhandled_exception.hpp): by default printed to stderr, then
// std::terminate. May be called from any thread.
#pragma once

#include <coroutine>
#include <exception>

#include "awaitify/unhandled_exception.hpp"

namespace awaitify {

class detached {
 public:
  struct promise_type {
    detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { report_unhandled_exception(std::current_exception()); }
  };
};

}  // namespace awaitify
