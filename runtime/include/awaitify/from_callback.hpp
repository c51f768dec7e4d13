// awaitify/from_callback.hpp - co_await a callback-last API.
//
//   User u = co_await awaitify::from_callback<User>(
//       [&](auto resume) { db.getUser(id, resume); });
//
// Terms. `init` is the caller's lambda that starts the operation. The
// *completion* (`resume` above) is the callback init hands to the API; it is
// copyable, callable with Ts..., and converts to std::function<void(Ts...)>.
// The *awaiter* is the coroutine doing the co_await. The *state* is a small
// block, shared by the awaiter and every completion copy, that carries the
// result from the first call to the awaiter.
//
// How it works. `co_await` calls init(completion) right away (in await_ready).
// If a completion is called before init returns (an inline completion), the
// coroutine does not suspend at all: it goes on with the value, so a loop of
// inline completions runs in constant stack space. Otherwise the coroutine
// suspends, and the first call resumes it from inside that call, on the
// calling thread, as the original continuation would have run; what the
// coroutine then lets escape comes out of that call (detail/activation.hpp).
//
// Every event is settled by one atomic word in the state:
//   claimed        a call (or the last drop) owns the result slot;
//   done           the result slot is written;
//   waiting        the awaiter has suspended and stored its handle;
//   init_returned  init has returned (set together with `waiting`);
//   awaiter_gone   the awaiter no longer needs the state;
//   copies         the number of counted completion copies (upper bits).
// The first call claims, writes the result, then sets `done`; if `waiting`
// was already set it resumes the awaiter. The awaiter sets `waiting`; if
// `done` was already set it goes on without suspending. Whichever of the two
// read-modify-writes comes second sees the other's bit, so exactly one side
// continues the coroutine. A later call finds `claimed` and does nothing.
// When the last counted copy is destroyed uncalled after init returned, it
// claims the slot for `broken_promise` and completes the same way; if it is
// destroyed before init returns, the awaiter notices right after init. The
// state is freed by whichever of the awaiter and the last copy lets go
// second; the block comes from a per-thread recycling cache, so an await
// costs no heap allocation (recycling_allocator.hpp).
//
// The inline fast path. Atomic read-modify-writes are what an await would
// otherwise cost, so the thread running init (the *owner*, recorded in the
// state until init returns) skips them where no other thread can be
// involved: copies it makes or destroys while init runs are counted in a
// plain `local_copies` (added to the atomic count in one step when init
// returns), and a call it makes while init runs just marks `inline_done`,
// because the awaiter, blocked in init on that same thread, cannot be
// waiting. Only the claim stays atomic, since another thread may hold a copy.
// An inline completion thus costs one atomic operation. Other threads, and
// the owner once init has returned, always use the atomic word.
//
// The completion that init receives is *borrowed*: it is only valid until init
// returns, so it is not counted (destroying it is free). Copying or moving it
// makes a counted copy, which is what an API keeps.
#pragma once

#include <atomic>
#include <cassert>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "awaitify/broken_promise.hpp"
#include "awaitify/detail/activation.hpp"
#include "awaitify/detail/recycling_allocator.hpp"

namespace awaitify {

template <class... Ts>
class completion;
template <class Init, class... Ts>
class callback_awaitable;

namespace detail {

// What `co_await from_callback<Ts...>(...)` yields: void, T, or a tuple.
// A reference parameter (const User&) is delivered as a copy (User): the
// referent belongs to the API and may be gone by the time the awaiter runs.
template <class... Ts>
struct callback_value {
  using type = std::tuple<std::remove_cvref_t<Ts>...>;
};
template <class T>
struct callback_value<T> {
  using type = std::remove_cvref_t<T>;
};
template <>
struct callback_value<> {
  using type = void;
};

template <class V>
struct callback_slot {
  std::optional<V> value;
  template <class... Args>
  void emplace(Args&&... args) {
    value.emplace(std::forward<Args>(args)...);
  }
  V take() { return std::move(*value); }
};
template <>
struct callback_slot<void> {
  void emplace() noexcept {}
  void take() noexcept {}
};

// Identifies the calling thread: the address of a thread-local object.
inline const void* this_thread_tag() noexcept {
  static thread_local const char tag = 0;
  return &tag;
}

template <class... Ts>
class callback_state {
 public:
  using value_type = typename callback_value<Ts...>::type;

  // Called by the awaiter's thread, which becomes the owner until end_init.
  static callback_state* create() {
    return ::new (recycling_allocator::allocate(sizeof(callback_state))) callback_state;
  }

  // --- Completion side: any thread, through a completion copy. ---

  // Another counted copy now exists. The copier already holds a copy (or the
  // borrowed completion), so the state cannot go away meanwhile.
  void add_copy() noexcept {
    if (owner_in_init()) {
      ++local_copies_;
    } else {
      word_.fetch_add(one_copy, std::memory_order_relaxed);
    }
  }

  // A counted copy is destroyed.
  void drop_copy() noexcept {
    if (owner_in_init()) {
      --local_copies_;  // may wrap: the sum with the atomic count is what counts
      return;
    }
    std::size_t old = word_.fetch_sub(one_copy, std::memory_order_acq_rel);
    if (copies(old) != 1) return;
    if (old & awaiter_gone) {
      destroy();  // Nobody else refers to the state any more.
    } else if ((old & (init_returned | claimed)) == init_returned) {
      // The last copy died uncalled while the awaiter waits. No copy is left
      // to call, so nobody can race for the slot.
      broken_ = true;
      publish();
    }
    // Before init returns the count may be low by the owner's local copies;
    // both actions above need a flag that is only set after they are added.
  }

  // A call: only the first one (over all copies) is delivered.
  template <class... Args>
  void complete(Args&&... args) {
    if (word_.fetch_or(claimed, std::memory_order_acq_rel) & claimed) return;
    try {
      slot_.emplace(std::forward<Args>(args)...);
    } catch (...) {
      error_ = std::current_exception();  // Constructing the value threw.
    }
    if (owner_in_init()) {
      inline_done_ = true;  // The awaiter is in init, below us on this stack.
    } else {
      publish();
    }
  }

  // --- Awaiter side: the coroutine's thread. ---

  // Init has returned (normally or by throwing): from now on the owner uses
  // the atomic word like everyone else.
  void end_init() noexcept { owner_.store(nullptr, std::memory_order_relaxed); }

  // Right after end_init. True when the result (or the news that every copy
  // is gone) is already there, so the coroutine need not suspend.
  bool ready_after_init() noexcept {
    if (inline_done_) {
      fold_local_copies();
      return true;
    }
    std::size_t w = word_.load(std::memory_order_acquire);
    if (w & done) {
      fold_local_copies();
      return true;
    }
    if (copies(w + local_copies_ * one_copy) == 0 && !(w & claimed)) {
      // Every copy was dropped before init returned. None is left, so no
      // other thread can reach the state.
      fold_local_copies();
      broken_ = true;
      return true;
    }
    return false;
  }

  // await_suspend: false means "do not suspend, the outcome is here". Adds
  // the owner's local copies and sets `waiting | init_returned` in one step
  // (those bits are clear until now, so adding them sets them).
  bool suspend(std::coroutine_handle<> awaiter) noexcept {
    waiter_ = awaiter;
    std::size_t add = local_copies_ * one_copy + waiting + init_returned;
    local_copies_ = 0;
    std::size_t old = word_.fetch_add(add, std::memory_order_acq_rel);
    if (old & done) return false;
    if (copies(old + add) == 0 && !(old & claimed)) {
      // The last copy died between init's return and the line above; it saw
      // no `init_returned`, so settling the outcome falls to us.
      broken_ = true;
      return false;
    }
    return true;
  }

  // After resumption: the value, or the exception.
  value_type take() {
    if (broken_) throw broken_promise();
    if (error_) std::rethrow_exception(error_);
    return slot_.take();
  }

  // The awaiter is finished with the state (also when init threw, in which
  // case the owner's local copies are still to be added). After end_init.
  void release_awaiter() noexcept {
    fold_local_copies();
    // With no counted copy left and init returned, nobody else can reach the
    // state, so no read-modify-write is needed.
    if (copies(word_.load(std::memory_order_acquire)) == 0) {
      destroy();
      return;
    }
    std::size_t old = word_.fetch_or(awaiter_gone, std::memory_order_acq_rel);
    if (copies(old) == 0) destroy();
  }

 private:
  static constexpr std::size_t claimed = 1;
  static constexpr std::size_t done = 2;
  static constexpr std::size_t waiting = 4;
  static constexpr std::size_t init_returned = 8;
  static constexpr std::size_t awaiter_gone = 16;
  static constexpr std::size_t one_copy = 32;

  static constexpr std::size_t copies(std::size_t w) noexcept { return w / one_copy; }

  callback_state() noexcept = default;

  // True only on the owner's thread while init runs: nobody else can see
  // its own tag here, and the owner clears it when init returns.
  bool owner_in_init() const noexcept {
    return owner_.load(std::memory_order_relaxed) == this_thread_tag();
  }

  void fold_local_copies() noexcept {
    if (local_copies_ != 0) {
      word_.fetch_add(local_copies_ * one_copy, std::memory_order_acq_rel);
      local_copies_ = 0;
    }
  }

  // Sets `done`; resumes the awaiter if it already waits. Nothing may touch
  // the state after the resume: the resumed coroutine may free it.
  // What the resumed activation throws comes out of this call
  // (detail/activation.hpp).
  void publish() {
    std::size_t old = word_.fetch_or(claimed | done, std::memory_order_acq_rel);
    if (old & waiting) resume_from_completion(waiter_);
  }

  void destroy() noexcept {
    this->~callback_state();
    recycling_allocator::deallocate(this, sizeof(callback_state));
  }

  std::atomic<std::size_t> word_{0};
  std::atomic<const void*> owner_{this_thread_tag()};
  std::size_t local_copies_ = 0;  // owner only, while init runs (modular)
  bool inline_done_ = false;      // owner only
  bool broken_ = false;
  std::coroutine_handle<> waiter_;
  std::exception_ptr error_;
  callback_slot<value_type> slot_;
};

struct borrowed_t {};

}  // namespace detail

// The callback that `from_callback` hands to init. Copyable, callable with
// arguments convertible to Ts..., and so convertible to
// std::function<void(Ts...)> or std::function<void(const Ts&...)>. Any copy
// may be called from any thread; the first call (over all copies) delivers
// its arguments and resumes the awaiter, later calls do nothing. Destroying
// every copy without a call resumes the awaiter with broken_promise. A copy
// may outlive the awaiting coroutine. The object init receives is valid only
// until init returns: copy or move it to keep it.
template <class... Ts>
class completion {
 public:
  completion(const completion& other) noexcept : state_(other.state_) {
    if (state_) state_->add_copy();
  }
  completion(completion&& other) noexcept : state_(other.state_), counted_(other.counted_) {
    if (!counted_) {
      // Moving out of the borrowed completion keeps it usable (until init
      // returns) and makes a counted copy.
      if (state_) state_->add_copy();
      counted_ = true;
    } else {
      other.state_ = nullptr;
    }
  }
  completion& operator=(completion other) noexcept {
    std::swap(state_, other.state_);
    std::swap(counted_, other.counted_);
    return *this;
  }
  ~completion() {
    if (state_ && counted_) state_->drop_copy();
  }

  // Delivers the result if no call came first. A moved-from completion does
  // nothing. Precondition: not called concurrently with its own destruction.
  void operator()(Ts... args) const {
    if (state_) state_->complete(std::forward<Ts>(args)...);
  }

  // libstdc++'s std::function keeps this type on the heap (it is not
  // trivially copyable) with a plain new-expression, which finds these: the
  // block is recycled like the shared state, so no global allocation.
  static void* operator new(std::size_t n) { return detail::recycling_allocator::allocate(n); }
  static void operator delete(void* p, std::size_t n) noexcept {
    detail::recycling_allocator::deallocate(p, n);
  }

 private:
  template <class, class...>
  friend class callback_awaitable;

  completion(detail::callback_state<Ts...>* state, detail::borrowed_t) noexcept
      : state_(state), counted_(false) {}

  detail::callback_state<Ts...>* state_;
  bool counted_ = true;
};

// The awaitable `from_callback` returns. Await it once, from one coroutine;
// `init` runs on that coroutine's thread, inside the co_await. If init throws,
// the exception comes out of the co_await (copies it kept stay harmless).
// A coroutine suspended here must not be destroyed before it is resumed.
template <class Init, class... Ts>
class [[nodiscard]] callback_awaitable {
  using state_type = detail::callback_state<Ts...>;

 public:
  using value_type = typename state_type::value_type;

  explicit callback_awaitable(Init init) noexcept(std::is_nothrow_move_constructible_v<Init>)
      : init_(std::move(init)) {}
  callback_awaitable(callback_awaitable&& other) noexcept(
      std::is_nothrow_move_constructible_v<Init>)
      : init_(std::move(other.init_)), state_(std::exchange(other.state_, nullptr)) {}
  callback_awaitable& operator=(callback_awaitable&&) = delete;
  ~callback_awaitable() {
    if (state_) state_->release_awaiter();
  }

  bool await_ready() {
    if (state_) std::exchange(state_, nullptr)->release_awaiter();
    state_ = state_type::create();
    run_init();
    return state_->ready_after_init();
  }

  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> awaiter) noexcept {
    if constexpr (detail::knows_its_ramp<Promise>) {
      // Said before the awaiter can be resumed elsewhere; undone if it goes on.
      bool was = awaiter.promise().in_ramp();
      awaiter.promise().set_in_ramp(false);
      if (state_->suspend(awaiter)) return true;
      awaiter.promise().set_in_ramp(was);
      return false;
    } else {
      return state_->suspend(awaiter);
    }
  }

  value_type await_resume() {
    struct release {
      state_type* state;
      ~release() { state->release_awaiter(); }
    } guard{std::exchange(state_, nullptr)};
    return guard.state->take();
  }

 private:
  // Calls init with the borrowed completion; ends the owner's fast path when
  // init returns or throws.
  void run_init() {
    struct end_init_guard {
      state_type* state;
      ~end_init_guard() { state->end_init(); }
    } guard{state_};
    if constexpr (std::is_invocable_v<Init&, completion<Ts...>>) {
      std::invoke(init_, completion<Ts...>(state_, detail::borrowed_t{}));
    } else {
      completion<Ts...> resume(state_, detail::borrowed_t{});
      std::invoke(init_, resume);
    }
  }

  Init init_;
  state_type* state_ = nullptr;
};

// Starts a callback-last operation from a coroutine:
//   co_await from_callback<Ts...>([&](auto resume) { api(args..., resume); })
// yields void (no Ts), T (one), or std::tuple<Ts...> (several).
template <class... Ts, class Init>
  requires std::is_invocable_v<std::decay_t<Init>&, completion<Ts...>> ||
           std::is_invocable_v<std::decay_t<Init>&, completion<Ts...>&>
callback_awaitable<std::decay_t<Init>, Ts...> from_callback(Init&& init) {
  return callback_awaitable<std::decay_t<Init>, Ts...>(std::forward<Init>(init));
}

}  // namespace awaitify
