// awaitify/task.hpp - a lazy coroutine that produces one T.
//
// `task<T>` is the return type of a coroutine that something else awaits.
// It is lazy: calling the coroutine function allocates its frame and runs
// nothing; the body starts when the task is awaited (or handed to `spawn` or
// `sync_wait`), and the awaiter resumes, by symmetric transfer, when the body
// finishes. A chain of tasks that complete synchronously therefore runs in
// constant stack space. An exception leaving the body is rethrown out of the
// `co_await`. T may be void, a move-only type, or a reference.
//
// Contract: a task is move-only and owns its frame; destroying a task that
// was never started frees the frame. A task is awaited at most once, by one
// awaiter; the result is moved out to that awaiter. Destroying a task while
// its body is suspended is only allowed when nothing will resume that body.
#pragma once

#include <cassert>
#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>

#include "awaitify/result.hpp"

namespace awaitify {

template <class T = void>
class task;

namespace detail {

template <class T>
class task_promise_base {
 public:
  std::suspend_always initial_suspend() noexcept { return {}; }

  struct final_awaiter {
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) noexcept {
      return h.promise().continuation_;
    }
    void await_resume() const noexcept {}
  };
  final_awaiter final_suspend() noexcept { return {}; }

  void unhandled_exception() noexcept { result_.set_exception(std::current_exception()); }

  std::coroutine_handle<> continuation_ = std::noop_coroutine();
  result<T> result_;
};

template <class T>
class task_promise : public task_promise_base<T> {
 public:
  task<T> get_return_object() noexcept;

  // U defaults to T so that `co_return {a, b};` works.
  template <class U = T>
    requires std::is_constructible_v<T, U&&>
  void return_value(U&& value) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
    this->result_.emplace_value(std::forward<U>(value));
  }
};

template <class T>
class task_promise<T&> : public task_promise_base<T&> {
 public:
  task<T&> get_return_object() noexcept;
  void return_value(T& value) noexcept { this->result_.emplace_value(value); }
};

template <>
class task_promise<void> : public task_promise_base<void> {
 public:
  task<void> get_return_object() noexcept;
  void return_void() noexcept { this->result_.emplace_value(); }
};

}  // namespace detail

template <class T>
class [[nodiscard]] task {
  static_assert(!std::is_rvalue_reference_v<T>, "awaitify::task<T&&> is not supported");

 public:
  using promise_type = detail::task_promise<T>;
  using value_type = T;

  task(task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  task& operator=(task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  task(const task&) = delete;
  task& operator=(const task&) = delete;
  ~task() {
    if (handle_) handle_.destroy();
  }

  // Starts the body and suspends the awaiter until it finishes; yields the
  // value (moved out) or rethrows the exception.
  auto operator co_await() && noexcept { return awaiter{handle_}; }
  auto operator co_await() & noexcept { return awaiter{handle_}; }

 private:
  friend promise_type;
  using handle_type = std::coroutine_handle<promise_type>;

  explicit task(handle_type h) noexcept : handle_(h) {}

  struct awaiter {
    handle_type handle;

    bool await_ready() const noexcept {
      assert(handle && !handle.done() && "awaitify::task awaited twice or after a move");
      return false;
    }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
      handle.promise().continuation_ = awaiting;
      return handle;
    }
    T await_resume() { return std::move(handle.promise().result_).value(); }
  };

  handle_type handle_;
};

namespace detail {
template <class T>
task<T> task_promise<T>::get_return_object() noexcept {
  return task<T>{std::coroutine_handle<task_promise>::from_promise(*this)};
}
template <class T>
task<T&> task_promise<T&>::get_return_object() noexcept {
  return task<T&>{std::coroutine_handle<task_promise>::from_promise(*this)};
}
inline task<void> task_promise<void>::get_return_object() noexcept {
  return task<void>{std::coroutine_handle<task_promise>::from_promise(*this)};
}
}  // namespace detail

}  // namespace awaitify
