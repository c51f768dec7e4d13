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
// Two ways to await, chosen by the awaiter's promise type:
//
// - In a coroutine that replaces callback code (`detached`: its promise
//   holds its frame, detail::holds_its_frame, and asks for this way through
//   nest_in_completions), the coroutine suspends first and then calls init.
//   The first completion call resumes it from inside that call, on the
//   calling thread, even when the call comes before the API returns: the
//   continuation runs where the callback ran, ahead of what the API does
//   after calling back, and the stack nests as the callbacks did. The
//   awaiter holds the frame until init returns, so the API's arguments stay
//   allocated after an inline completion. What init lets out after the
//   coroutine went on goes where that activation throws
//   (detail/activation.hpp).
// - Anywhere else (`task`, sync_wait), init runs in await_ready, before the
//   coroutine suspends. If a completion is called before init returns (an
//   inline completion), the coroutine does not suspend: it goes on with the
//   value once init has returned, so a loop of inline completions runs in
//   constant stack space. Otherwise the first call resumes it from inside
//   that call; what the coroutine then lets escape comes out of that call.
//
// Every event is settled by one atomic word in the state:
//   claimed        a call (or the last drop) owns the result slot;
//   done           the result slot is written;
//   waiting        the awaiter has suspended and stored its handle;
//   init_returned  the copy count is complete (set together with `waiting`
//                  when init returns; from the start when the awaiter
//                  suspends first, where init's call counts as one copy);
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
// The inline fast path (second way only). Atomic read-modify-writes are what
// an await would otherwise cost, so the thread running init (the *owner*,
// recorded in the state until init returns) skips them where no other thread
// can be involved: copies it makes or destroys while init runs are counted in
// a plain `local_copies` (added to the atomic count in one step when init
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

  // --- Suspending first (a frame-holding awaiter): the coroutine is
  // suspended before init runs, and every call resumes it at once. ---

  // Before init: no owner fast path; init's call counts as one copy until
  // it returns, so the count is complete from the start.
  void start_suspended(std::coroutine_handle<> awaiter) noexcept {
    owner_.store(nullptr, std::memory_order_relaxed);
    waiter_ = awaiter;
    word_.store(waiting | init_returned | one_copy, std::memory_order_relaxed);
  }

  // After init returned or threw (`thrown`). True: nobody has resumed the
  // awaiter nor will, and the outcome (init's exception, or broken_promise)
  // is in the slot: the awaiter goes on from await_suspend. False: a call
  // resumed it, or a copy will; the state may be gone.
  bool settle_after_init(const std::exception_ptr& thrown) noexcept {
    if (thrown && !(word_.fetch_or(claimed | done, std::memory_order_acq_rel) & claimed)) {
      error_ = thrown;  // init threw before any call: it comes out of co_await
      word_.fetch_sub(one_copy, std::memory_order_acq_rel);
      return true;
    }
    std::size_t old = word_.fetch_sub(one_copy, std::memory_order_acq_rel);
    if (copies(old) != 1) return false;
    if (old & awaiter_gone) {
      destroy();
      return false;
    }
    if (old & claimed) return false;
    // Every copy is gone uncalled; none is left to race for the slot.
    word_.fetch_or(claimed | done, std::memory_order_relaxed);
    broken_ = true;
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
      : init_(std::move(other.init_)),
        state_(std::exchange(other.state_, nullptr)),
        nest_(other.nest_) {}
  callback_awaitable& operator=(callback_awaitable&&) = delete;
  ~callback_awaitable() {
    if (state_) state_->release_awaiter();
  }

  // Asked by a promise that holds its frame (detached's await_transform):
  // suspend before init, so that every completion resumes the coroutine
  // inside its call (the first way at the top of this file).
  void nest_in_completions() noexcept { nest_ = true; }

  bool await_ready() {
    if (nest_) return false;
    if (state_) std::exchange(state_, nullptr)->release_awaiter();
    state_ = state_type::create();
    run_init();
    return state_->ready_after_init();
  }

  template <class Promise>
  bool await_suspend(std::coroutine_handle<Promise> awaiter) {
    if constexpr (detail::holds_its_frame<Promise>) {
      if (nest_) return suspend_first(awaiter);
    }
    return state_->suspend(awaiter);
  }

  value_type await_resume() {
    struct release {
      state_type* state;
      ~release() { state->release_awaiter(); }
    } guard{std::exchange(state_, nullptr)};
    return guard.state->take();
  }

 private:
  // The first way (see the top of this file). Once init has started, a call
  // may resume the coroutine, which may end the awaiter (this object) before
  // init returns: only locals are used after init, and the frame, which
  // init's arguments may refer to, is held until then.
  template <class Promise>
  bool suspend_first(std::coroutine_handle<Promise> awaiter) {
    Promise& promise = awaiter.promise();
    const bool in_ramp = promise.in_ramp();
    if (state_) std::exchange(state_, nullptr)->release_awaiter();
    state_type* state = state_ = state_type::create();
    promise.set_in_ramp(false);
    promise.hold();
    state->start_suspended(awaiter);
    std::exception_ptr thrown;
    try {
      // Off the frame: once the coroutine goes on, the awaiter's storage may
      // be reused for other temporaries while init still runs.
      Init init = std::move(init_);
      call_init(init, state);
    } catch (...) {
      thrown = std::current_exception();
    }
    if (state->settle_after_init(thrown)) {
      promise.set_in_ramp(in_ramp);
      promise.release();  // not the last: the body still holds the frame
      return false;
    }
    if (thrown) detail::leave_activation(std::move(thrown), in_ramp);
    if (promise.release()) awaiter.destroy();
    return true;
  }

  // Calls init with the borrowed completion.
  static void call_init(Init& init, state_type* state) {
    if constexpr (std::is_invocable_v<Init&, completion<Ts...>>) {
      std::invoke(init, completion<Ts...>(state, detail::borrowed_t{}));
    } else {
      completion<Ts...> resume(state, detail::borrowed_t{});
      std::invoke(init, resume);
    }
  }

  // Calls init with the borrowed completion; ends the owner's fast path when
  // init returns or throws.
  void run_init() {
    struct end_init_guard {
      state_type* state;
      ~end_init_guard() { state->end_init(); }
    } guard{state_};
    call_init(init_, state_);
  }

  Init init_;
  state_type* state_ = nullptr;
  bool nest_ = false;
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
