// An if whose then-arm now ends with a jump (`continue;` for a way back
// into the loop, `co_return;`) needs no else: `else if` becomes an if of
// its own, and an else-block's statements follow the if -- unless one of
// them has a name declared elsewhere in the code (counter: `left` twice),
// then the else stays. Run before and after the rewrite (timers only, one
// actor at a time).
//
// REQUIRES: boost181
// DEFINE: %{flags} = -std=c++20 -I%boost181_include -pthread
// DEFINE: %{san} = -fsanitize=address,undefined -fno-sanitize-recover=all -g1
// RUN: grep -v '^// [A-Z-]*:' %s > %t.orig.cpp
// RUN: %build_cxx %{flags} %{san} %t.orig.cpp -o %t.before
// RUN: %t.before > %t.before.txt
// RUN: cp %t.orig.cpp %t.cpp
// RUN: %awaitify fix --explain --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning: --implicit-check-not=remark:
// RUN: FileCheck %s --check-prefix=CHECK-FIXES --input-file=%t.cpp
// RUN: %check_rewrite --original %t.orig.cpp %build_cxx %{flags} -Wall -Wextra -Werror %{san} %t.cpp -o %t.after
// RUN: %t.after > %t.after.txt
// RUN: diff %t.before.txt %t.after.txt
// RUN: FileCheck %s --check-prefix=CHECK-OUT --input-file=%t.after.txt
// RUN: %awaitify check --no-project-rules %t.cpp -- %{flags} | count 0

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <iostream>
#include <memory>

namespace net = boost::asio;
using namespace std::chrono_literals;

// Two attempts fail and are retried, the third works and starts over
// with a last round; each arm that goes round again ends with the call.
class retrier : public std::enable_shared_from_this<retrier> {
public:
  explicit retrier(net::io_context &io) : timer_(io) {}
  ~retrier() { std::cout << "retrier gone\n"; }

  void start() { attempt(0); }

private:
  void attempt(int n) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, self = shared_from_this(),
                       n](boost::system::error_code ec) {
      if (ec)
        return;
      if (n < 2) {
        std::cout << "attempt " << n << " failed\n";
        attempt(n + 1);
      }
      // The third attempt works.
      else if (n == 2) {
        std::cout << "attempt " << n << " worked\n";
        attempt(10);
      } else {
        int rounds = n - 9;
        std::cout << "done after " << rounds << " round\n";
      }
    });
  }

  net::steady_timer timer_;
};

// Both arms declare `left`: the else-block's statements cannot join the
// block around the if, so the else stays.
class counter : public std::enable_shared_from_this<counter> {
public:
  explicit counter(net::io_context &io) : timer_(io) {}

  void start() { count(0); }

private:
  void count(int n) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, self = shared_from_this(),
                       n](boost::system::error_code ec) {
      if (ec)
        return;
      if (n < 1) {
        int left = 1 - n;
        std::cout << "counting, " << left << " to go\n";
        count(n + 1);
      } else {
        int left = 0;
        std::cout << "counted, " << left << " to go\n";
      }
    });
  }

  net::steady_timer timer_;
};

int main() {
  net::io_context io;
  std::make_shared<retrier>(io)->start();
  io.run();
  io.restart();
  std::make_shared<counter>(io)->start();
  io.run();
  std::cout << "end\n";
}

// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:18: warning: callback chain of 4 calls (depth 1) in 'retrier::start'
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:18: warning: callback chain of 3 calls (depth 1) in 'counter::start'

// CHECK-FIXES:      net::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:   int n = 0;
// CHECK-FIXES-NEXT:   for (;;) {
// CHECK-FIXES-NEXT:     timer_.expires_after(1ms);
// CHECK-FIXES-NEXT:     auto [ec] = co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     if (n < 2) {
// CHECK-FIXES-NEXT:       std::cout << "attempt " << n << " failed\n";
// CHECK-FIXES-NEXT:       n = n + 1;
// CHECK-FIXES-NEXT:       continue;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     // The third attempt works.
// CHECK-FIXES-NEXT:     if (n != 2) {
// CHECK-FIXES-NEXT:       int rounds = n - 9;
// CHECK-FIXES-NEXT:       std::cout << "done after " << rounds << " round\n";
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     std::cout << "attempt " << n << " worked\n";
// CHECK-FIXES-NEXT:     n = 10;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }

// CHECK-FIXES:      net::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:   int n = 0;
// CHECK-FIXES-NEXT:   for (;;) {
// CHECK-FIXES-NEXT:     timer_.expires_after(1ms);
// CHECK-FIXES-NEXT:     auto [ec] = co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     if (n < 1) {
// CHECK-FIXES-NEXT:       int left = 1 - n;
// CHECK-FIXES-NEXT:       std::cout << "counting, " << left << " to go\n";
// CHECK-FIXES-NEXT:       n = n + 1;
// CHECK-FIXES-NEXT:       continue;
// CHECK-FIXES-NEXT:     } else {
// CHECK-FIXES-NEXT:       int left = 0;
// CHECK-FIXES-NEXT:       std::cout << "counted, " << left << " to go\n";
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }

// CHECK-OUT:      attempt 0 failed
// CHECK-OUT-NEXT: attempt 1 failed
// CHECK-OUT-NEXT: attempt 2 worked
// CHECK-OUT-NEXT: done after 1 round
// CHECK-OUT-NEXT: retrier gone
// CHECK-OUT-NEXT: counting, 1 to go
// CHECK-OUT-NEXT: counted, 0 to go
// CHECK-OUT-NEXT: end
