// A recursive timer step function: tick(i) re-arms the timer and its
// handler calls tick(i + 1). The recursion becomes a `for (;;)` loop in a
// member coroutine spawned on the timer's executor; the back edge reassigns
// the parameter at the end of the body: `i = i + 1;`. `return done();` ends
// the coroutine, the tail `if (!ec) ... else ...` becomes the early exit
// `if (ec) { ...; co_return; }`, and the recursive call's comment survives.
//
// ticker::start() enters the loop: it spawns start_coro(), where tick's
// parameter is a local initialised with start's argument. poller::poll(i) is
// entered from two places (start and restart): it stays the entry and spawns
// poll_coro(i), which takes the parameter by value.
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE -include utility
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --min-confidence=risky --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx %{flags} %t.cpp
// RUN: %awaitify check --min-confidence=risky --no-project-rules %t.cpp -- %{flags} | count 0

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <iostream>

class ticker {
public:
  ticker(boost::asio::io_context &io_context, int n)
      : timer_(io_context), n_(n) {}

  void start() { tick(0); }

private:
  void tick(int i) {
    if (i == n_)
      return done();
    std::cout << "tick " << i << "\n";
    timer_.expires_after(std::chrono::milliseconds(1));
    timer_.async_wait([this, i](boost::system::error_code ec) {
      if (!ec)
        tick(i + 1); // next tick
      else
        std::cout << "timer: " << ec.message() << "\n";
    });
  }

  void done() { std::cout << "done\n"; }

  boost::asio::steady_timer timer_;
  int n_;
};

class poller {
public:
  explicit poller(boost::asio::io_context &io_context) : timer_(io_context) {}

  void start() { poll(0); }
  void restart() { poll(100); }

private:
  void poll(int i) {
    timer_.expires_after(std::chrono::milliseconds(1));
    timer_.async_wait([this, i](boost::system::error_code ec) {
      if (ec || i == 3)
        return;
      poll(i + 1);
    });
  }

  boost::asio::steady_timer timer_;
};

// CHECK-MESSAGES: asio-timer-step.cpp.tmp.cpp:31:18: warning: callback chain of 3 calls (depth 1) in 'ticker::start' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]
// CHECK-MESSAGES-NEXT: :31:18: note: step 1: 'ticker::tick' completes into this callback
// CHECK-MESSAGES-NEXT: :39:5: note: step 2: 'boost::asio::basic_waitable_timer::async_wait' completes into this callback
// CHECK-MESSAGES-NEXT: :41:9: note: step 3: 'ticker::tick' completes into this callback
// CHECK-MESSAGES-NEXT: :31:18: note: assumes: with Boost {{[0-9.]+}}, co_spawn posts the coroutine: its first operation would start on a later turn of the executor, after work already queued there, not inside the call as before (Asio 1.22 and Boost 1.78 dispatch it)
// CHECK-MESSAGES: asio-timer-step.cpp.tmp.cpp:63:5: warning: callback chain of 2 calls (depth 1) in 'poller::poll' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]

// CHECK-FIXES:      void start() {
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(timer_.get_executor(), start_coro(), rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   boost::asio::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:     int i = 0;
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       if (i == n_) {
// CHECK-FIXES-NEXT:         done();
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       std::cout << "tick " << i << "\n";
// CHECK-FIXES-NEXT:       timer_.expires_after(std::chrono::milliseconds(1));
// CHECK-FIXES-NEXT:       boost::system::error_code ec;
// CHECK-FIXES-NEXT:       co_await timer_.async_wait(
// CHECK-FIXES-NEXT:           boost::asio::redirect_error(boost::asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec) {
// CHECK-FIXES-NEXT:         std::cout << "timer: " << ec.message() << "\n";
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       i = i + 1; // next tick
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT:   void done() { std::cout << "done\n"; }

// CHECK-FIXES:      void start() { poll(0); }
// CHECK-FIXES-NEXT: void restart() { poll(100); }
// CHECK-FIXES:      void poll(int i) {
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(timer_.get_executor(), poll_coro(i), rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: boost::asio::awaitable<void> poll_coro(int i) {
// CHECK-FIXES-NEXT:   for (;;) {
// CHECK-FIXES-NEXT:     timer_.expires_after(std::chrono::milliseconds(1));
// CHECK-FIXES-NEXT:     boost::system::error_code ec;
// CHECK-FIXES-NEXT:     co_await timer_.async_wait(
// CHECK-FIXES-NEXT:         boost::asio::redirect_error(boost::asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec || i == 3)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     i = i + 1;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }
