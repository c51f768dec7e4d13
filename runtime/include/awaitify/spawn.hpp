// awaitify/spawn.hpp - start a task from callback code.
//
// `spawn(task, callback)` is the bridge back from coroutines to callback-land:
// it starts the task at once (the body runs inside the spawn call until its
// first suspension) and, when the task finishes, destroys the task's frame
// and then calls `callback(awaitify::result<T>)` exactly once, on the thread
// that finished the task: inside spawn if it finished there, otherwise inside
// whatever resumed it last. The result holds the value or the exception;
// `r.value()` rethrows the latter.
//
//   awaitify::spawn(fetch_user(db, id), [done](awaitify::result<User> r) {
//     if (r) done(r.value()); else log(r.exception());
//   });
//
// `spawn(task)` without a callback discards the value and reports an
// exception to the unhandled-exception handler, like `detached`. So does an
// exception thrown by the callback itself. May be called from any thread.
#pragma once

#include <exception>
#include <type_traits>
#include <utility>

#include "awaitify/detail/deliver.hpp"
#include "awaitify/result.hpp"
#include "awaitify/task.hpp"
#include "awaitify/unhandled_exception.hpp"

namespace awaitify {

namespace detail {
template <class T, class Callback>
struct spawn_delivery {
  Callback callback;
  void operator()(result<T>&& r) noexcept {
    try {
      std::move(callback)(std::move(r));
    } catch (...) {
      report_unhandled_exception(std::current_exception());
    }
  }
};

template <class T>
struct report_delivery {
  void operator()(result<T>&& r) const noexcept {
    if (r.has_exception()) report_unhandled_exception(r.exception());
  }
};
}  // namespace detail

template <class T, class Callback>
  requires std::is_invocable_v<std::decay_t<Callback>, result<T>&&>
void spawn(task<T> t, Callback&& callback) {
  detail::deliver_after<T>(
      std::move(t), detail::spawn_delivery<T, std::decay_t<Callback>>{std::forward<Callback>(callback)});
}

template <class T>
void spawn(task<T> t) {
  detail::deliver_after<T>(std::move(t), detail::report_delivery<T>{});
}

}  // namespace awaitify
