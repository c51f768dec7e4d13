// awaitify/detail/deliver.hpp - await something, then hand the result over
// after the coroutine frame is gone.
//
// `deliver_after<R>(awaitable, deliver)` is an eager coroutine that awaits
// `awaitable`, captures its outcome in a result<R>, destroys its own frame
// (and with it the awaitable, e.g. a task and that task's frame), and only
// then calls `deliver(result<R>&&)`. spawn and sync_wait are built on it.
// `deliver` is called exactly once, on the thread that finished the await, and
// must not throw (spawn wraps user callbacks to report what they throw).
#pragma once

#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>

#include "awaitify/result.hpp"

namespace awaitify::detail {

template <class A>
concept has_member_co_await = requires(A&& a) { static_cast<A&&>(a).operator co_await(); };

template <class A>
decltype(auto) get_awaiter(A&& a) {
  if constexpr (has_member_co_await<A>) {
    return static_cast<A&&>(a).operator co_await();
  } else {
    return static_cast<A&&>(a);
  }
}

// The type `co_await std::declval<A>()` yields (member operator co_await or
// the awaiter protocol itself; a free operator co_await is not looked up).
template <class A>
using await_result_t =
    decltype(std::declval<std::remove_reference_t<decltype(get_awaiter(std::declval<A>()))>&>()
                 .await_resume());

template <class R, class Deliver>
class delivery {
 public:
  class promise_type;

 private:
  struct final_awaiter {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<promise_type> h) noexcept {
      promise_type& p = h.promise();
      result<R> outcome = std::move(p.outcome_);
      Deliver deliver = std::move(*p.deliver_);
      h.destroy();
      deliver(std::move(outcome));
    }
    void await_resume() const noexcept {}
  };

  class promise_base {
   public:
    delivery get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    final_awaiter final_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept { outcome_.set_exception(std::current_exception()); }

   protected:
    friend final_awaiter;
    explicit promise_base(Deliver& d) noexcept : deliver_(&d) {}
    result<R> outcome_;
    Deliver* deliver_;  // the coroutine's own parameter
  };

  class value_promise : public promise_base {
   public:
    using promise_base::promise_base;
    template <class U>
    void return_value(U&& u) {
      this->outcome_.emplace_value(std::forward<U>(u));
    }
  };
  class void_promise : public promise_base {
   public:
    using promise_base::promise_base;
    void return_void() noexcept { this->outcome_.emplace_value(); }
  };

 public:
  class promise_type : public std::conditional_t<std::is_void_v<R>, void_promise, value_promise> {
    using base = std::conditional_t<std::is_void_v<R>, void_promise, value_promise>;

   public:
    // Receives the coroutine's parameters (awaitable, deliver).
    template <class A>
    promise_type(A&, Deliver& d) noexcept : base(d) {}
  };
};

template <class R, class A, class Deliver>
  requires std::is_void_v<R>
delivery<R, Deliver> deliver_after(A awaitable, [[maybe_unused]] Deliver deliver) {
  co_await std::move(awaitable);
}

template <class R, class A, class Deliver>
  requires(!std::is_void_v<R>)
delivery<R, Deliver> deliver_after(A awaitable, [[maybe_unused]] Deliver deliver) {
  co_return co_await std::move(awaitable);
}

}  // namespace awaitify::detail
