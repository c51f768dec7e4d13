// awaitify/event_loop.hpp - a small deterministic single-threaded loop.
//
// For tests and examples: it plays the part of the event loop that calls the
// callbacks of a real program. `post` queues a callable; `run_one` runs the
// oldest; `run` runs until the queue is empty, including work posted while it
// runs. Order is strictly first-in, first-out, so a program's trace is the
// same on every run.
//
// Contract: not thread-safe. All members are called from one thread at a time
// (normally the thread that runs the loop); handlers may post to the loop and
// may call run_one. An exception thrown by a handler propagates out of
// run/run_one; the handler is gone, the rest of the queue stays. Destroying
// the loop destroys pending handlers without running them (a completion among
// them then resumes its awaiter with broken_promise); work they post while
// being destroyed is dropped the same way. Posting in steady state allocates
// nothing: the queue is a ring that only grows, and small handlers are kept
// in place.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "awaitify/detail/unique_function.hpp"

namespace awaitify {

class event_loop {
 public:
  event_loop() = default;
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;
  ~event_loop() {
    while (size_ != 0) (void)pop();
  }

  // Queues `f` (any callable with no arguments, move-only allowed).
  template <class F>
  void post(F&& f) {
    if (size_ == ring_.size()) grow();
    ring_[(head_ + size_) % ring_.size()] = detail::unique_function(std::forward<F>(f));
    ++size_;
  }

  // Runs the oldest queued handler. Returns false if there was none.
  bool run_one() {
    if (size_ == 0) return false;
    detail::unique_function f = pop();
    f();
    return true;
  }

  // Runs handlers until the queue is empty. Returns how many ran.
  std::size_t run() {
    std::size_t n = 0;
    while (run_one()) ++n;
    return n;
  }

  bool empty() const noexcept { return size_ == 0; }
  std::size_t pending() const noexcept { return size_; }

 private:
  detail::unique_function pop() noexcept {
    detail::unique_function f = std::move(ring_[head_]);
    head_ = (head_ + 1) % ring_.size();
    --size_;
    return f;
  }

  void grow() {
    std::vector<detail::unique_function> bigger(ring_.empty() ? 16 : 2 * ring_.size());
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(ring_[(head_ + i) % ring_.size()]);
    ring_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<detail::unique_function> ring_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace awaitify
