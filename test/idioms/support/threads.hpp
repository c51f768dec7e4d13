//===- threads.hpp - Completion APIs that call back on another thread -----===//
//
// Kept apart from idioms.hpp because <thread> is heavy: only the programs
// marked `// SANITIZE: thread` include it. The output stays deterministic:
// every thread prints only while no other thread can print.
//
//   io::get_on_thread    calls back on a worker thread and joins it before
//                        returning, then prints "api: worker joined".
//   io::get_from_worker  returns at once; a worker thread calls back a few
//                        milliseconds later, when the call has long returned
//                        (a callback that comes while the call is still
//                        running is get_on_thread's case).
//                        io::join_workers() (in main) waits for all of them,
//                        including workers started by other workers.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_IDIOMS_THREADS_HPP
#define AWAITIFY_IDIOMS_THREADS_HPP

#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "idioms.hpp"

namespace io {

/// True on the thread that started the program (the first to ask).
inline bool on_main_thread() {
  static const std::thread::id main_id = std::this_thread::get_id();
  return std::this_thread::get_id() == main_id;
}

/// Calls the callback on a worker thread and joins the worker before it
/// returns, so everything stays in a fixed order; prints
/// "api: worker joined" once the worker is done.
inline void get_on_thread(int key, std::function<void(int)> cb) {
  (void)on_main_thread(); // the caller is the main thread: remember it first
  trace("io: get_on_thread", key);
  std::thread worker([&cb, key] { cb(value_of(key)); });
  worker.join();
  trace("api: worker joined");
}

namespace detail {
struct Workers {
  std::mutex mutex;
  std::vector<std::thread> threads;
};
inline Workers &workers() {
  static Workers instance;
  return instance;
}
} // namespace detail

/// Returns at once; a worker thread calls the callback a little later. Prints
/// nothing after the worker is started, so a callback (and the workers it
/// starts in turn) is the only code printing until main calls join_workers().
/// The output does not depend on the delay; it only makes a callback that
/// arrives after the caller has moved on the usual case.
inline void get_from_worker(int key, std::function<void(int)> cb) {
  (void)on_main_thread();
  trace("io: get_from_worker", key);
  std::thread worker([cb = std::move(cb), key] {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    cb(value_of(key));
  });
  std::lock_guard<std::mutex> lock(detail::workers().mutex);
  detail::workers().threads.push_back(std::move(worker));
}

/// Joins every worker, including workers started while waiting.
inline void join_workers() {
  for (;;) {
    std::thread next;
    {
      std::lock_guard<std::mutex> lock(detail::workers().mutex);
      if (detail::workers().threads.empty())
        return;
      next = std::move(detail::workers().threads.back());
      detail::workers().threads.pop_back();
    }
    next.join();
  }
}

} // namespace io

#endif // AWAITIFY_IDIOMS_THREADS_HPP
