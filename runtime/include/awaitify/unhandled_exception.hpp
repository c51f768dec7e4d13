// awaitify/unhandled_exception.hpp - where exceptions that have no awaiter go.
//
// An exception thrown by a `spawn` callback has nobody to be rethrown to. It
// is handed to the process-wide handler below. So is one that leaves a
// `detached` coroutine where no caller is left to take it (detached.hpp):
// resumed by something other than a completion call, or thrown after an
// inline completion of the coroutine's first operation, once the call that
// started the coroutine can no longer throw it. The default handler prints the
// exception to stderr and calls std::terminate: an error is never lost
// silently. A program (or a test) may install its own handler; if that
// handler returns, execution continues after the point that called it.
#pragma once

#include <atomic>
#include <cstdio>
#include <exception>

namespace awaitify {

// Called with the escaping exception, on the thread where it escaped.
using unhandled_exception_handler = void (*)(std::exception_ptr) noexcept;

// Prints "awaitify: unhandled exception with no caller to take it: <what>"
// to stderr and calls std::terminate.
inline void default_unhandled_exception_handler(std::exception_ptr e) noexcept {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "awaitify: unhandled exception with no caller to take it: %s\n", ex.what());
  } catch (...) {
    std::fprintf(stderr, "awaitify: unhandled exception with no caller to take it (not a std::exception)\n");
  }
  std::fflush(stderr);
  std::terminate();
}

namespace detail {
inline std::atomic<unhandled_exception_handler> unhandled_handler{nullptr};
}  // namespace detail

// Installs `h` (nullptr restores the default) and returns the previous handler.
// May be called from any thread at any time.
inline unhandled_exception_handler set_unhandled_exception_handler(
    unhandled_exception_handler h) noexcept {
  unhandled_exception_handler old = detail::unhandled_handler.exchange(h, std::memory_order_acq_rel);
  return old ? old : &default_unhandled_exception_handler;
}

// Hands `e` to the installed handler. Used by spawn and detached.
inline void report_unhandled_exception(std::exception_ptr e) noexcept {
  unhandled_exception_handler h = detail::unhandled_handler.load(std::memory_order_acquire);
  (h ? h : &default_unhandled_exception_handler)(std::move(e));
}

}  // namespace awaitify
