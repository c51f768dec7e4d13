// awaitify/sync_wait.hpp - block the calling thread until an awaitable is done.
//
// For main() and tests: `sync_wait(task)` starts the task, blocks until it
// finishes (on this thread or on any other), and returns its value or
// rethrows its exception. It accepts any awaitable with a member
// operator co_await or the awaiter protocol (a task, a from_callback(...)),
// passed as an rvalue. Never call it from inside a coroutine or from a
// handler of the loop that must make progress for the awaitable to finish:
// that thread is blocked, so it would deadlock. To drive an event_loop, use
// spawn and loop.run() instead.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

#include "awaitify/detail/deliver.hpp"
#include "awaitify/result.hpp"

namespace awaitify {

template <class Awaitable>
  requires(!std::is_lvalue_reference_v<Awaitable>)
detail::await_result_t<Awaitable> sync_wait(Awaitable&& awaitable) {
  using R = detail::await_result_t<Awaitable>;
  struct signal {
    std::mutex mutex;
    std::condition_variable cv;
    std::optional<result<R>> outcome;  // engaged once done
  } s;
  // Runs after the driver's frame is gone; notifies under the lock so that
  // `s` outlives the notification.
  auto deliver = [&s](result<R>&& r) noexcept {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.outcome.emplace(std::move(r));
    s.cv.notify_one();
  };
  detail::deliver_after<R>(std::move(awaitable), deliver);
  std::unique_lock<std::mutex> lock(s.mutex);
  s.cv.wait(lock, [&s] { return s.outcome.has_value(); });
  return std::move(*s.outcome).value();
}

}  // namespace awaitify
