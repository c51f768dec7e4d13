// Switches whose cases go on with the chain, run before and after the
// rewrite (timers only, one actor at a time):
//  * a case's call followed by `break;`: the case gets braces, from its
//    first statement to the `break;`, which is dropped after a `continue;`;
//  * a case written in braces, the last case without `break;`, and a case
//    that loops back without declaring anything (no braces);
//  * a switch that is not in tail position, whose case returns after its
//    call: the case ends with `co_return;`;
//  * a chain whose last callback does not own the object, which dies while
//    that wait is pending: the coroutine would own it to the end, so the
//    chain is risky and left alone, with the reason.
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

class stepper : public std::enable_shared_from_this<stepper> {
public:
  explicit stepper(net::io_context &io) : timer_(io) {}
  ~stepper() { std::cout << "stepper gone\n"; }

  void start() { wait(0); }

  // A case that ends the function after its call; the others go on after
  // the switch.
  void report(int code) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, self = shared_from_this(),
                       code](boost::system::error_code) {
      switch (code) {
      case 1:
        std::cout << "code 1: one more wait\n";
        timer_.expires_after(1ms);
        timer_.async_wait([self](boost::system::error_code ec) {
          std::cout << "code 1 done: " << ec.message() << "\n";
        });
        return;
      }
      std::cout << "code " << code << ": nothing to wait for\n";
    });
  }

private:
  // What each turn does after its wait depends on the turn.
  void wait(int turn) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, self = shared_from_this(),
                       turn](boost::system::error_code ec) {
      if (ec)
        return;
      switch (turn % 3) {
      case 0:
        std::cout << "turn " << turn << ": again\n";
        wait(turn + 1);
        break;
      case 1: {
        std::cout << "turn " << turn << ": a short wait first\n";
        timer_.expires_after(1ms);
        timer_.async_wait([this, self, turn](boost::system::error_code ec) {
          std::cout << "short wait: " << ec.message() << "\n";
          int next = turn + 1;
          wait(next);
        });
        break;
      }
      default:
        if (turn < 5) {
          wait(turn + 1);
          return;
        }
        timer_.expires_after(1ms);
        timer_.async_wait([self, turn](boost::system::error_code ec) {
          std::cout << "last wait after turn " << turn << ": " << ec.message()
                    << "\n";
        });
      }
    });
  }

  net::steady_timer timer_;
};

// The last wait's callback does not own the object, which dies while it is
// pending: the timer's destructor cancels it. A coroutine that owned the
// object to its end would let the wait complete.
class lingerer : public std::enable_shared_from_this<lingerer> {
public:
  explicit lingerer(net::io_context &io) : timer_(io) {}
  ~lingerer() { std::cout << "lingerer gone\n"; }

  void start() {
    timer_.expires_after(1ms);
    timer_.async_wait([this, self = shared_from_this()](boost::system::error_code) {
      timer_.expires_after(1ms);
      timer_.async_wait([](boost::system::error_code ec) {
        std::cout << "lingering wait: " << ec.message() << "\n";
      });
    });
  }

private:
  net::steady_timer timer_;
};

int main() {
  net::io_context io;
  std::make_shared<stepper>(io)->start();
  io.run();
  for (int code : {1, 2}) {
    io.restart();
    std::make_shared<stepper>(io)->report(code);
    io.run();
  }
  io.restart();
  std::make_shared<lingerer>(io)->start();
  io.run();
  std::cout << "end\n";
}

// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:18: warning: callback chain of 7 calls (depth 2) in 'stepper::start'
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: warning: callback chain of 2 calls (depth 2) in 'stepper::report'
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: remark: left alone in 'lingerer::start': confidence 'risky' is below the minimum 'reasonable'; the callback of 'boost::asio::basic_waitable_timer::async_wait' on line {{[0-9]+}} does not own the object: it could be destroyed while that operation was pending

// CHECK-FIXES:      net::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:   int turn = 0;
// CHECK-FIXES-NEXT:   for (;;) {
// CHECK-FIXES-NEXT:     timer_.expires_after(1ms);
// CHECK-FIXES-NEXT:     auto [ec] = co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     switch (turn % 3) {
// CHECK-FIXES-NEXT:     case 0:
// CHECK-FIXES-NEXT:       std::cout << "turn " << turn << ": again\n";
// CHECK-FIXES-NEXT:       turn = turn + 1;
// CHECK-FIXES-NEXT:       continue;
// CHECK-FIXES-NEXT:     case 1: {
// CHECK-FIXES-NEXT:       std::cout << "turn " << turn << ": a short wait first\n";
// CHECK-FIXES-NEXT:       timer_.expires_after(1ms);
// CHECK-FIXES-NEXT:       auto [ec2] =
// CHECK-FIXES-NEXT:           co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:       std::cout << "short wait: " << ec2.message() << "\n";
// CHECK-FIXES-NEXT:       int next = turn + 1;
// CHECK-FIXES-NEXT:       turn = next;
// CHECK-FIXES-NEXT:       continue;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     default: {
// CHECK-FIXES-NEXT:       if (turn < 5) {
// CHECK-FIXES-NEXT:         turn = turn + 1;
// CHECK-FIXES-NEXT:         continue;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       timer_.expires_after(1ms);
// CHECK-FIXES-NEXT:       auto [ec3] =
// CHECK-FIXES-NEXT:           co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:       std::cout << "last wait after turn " << turn << ": " << ec3.message()
// CHECK-FIXES-NEXT:                 << "\n";
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }

// CHECK-FIXES:      net::awaitable<void> report_coro(int code) {
// CHECK-FIXES-NEXT:   co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:   switch (code) {
// CHECK-FIXES-NEXT:   case 1: {
// CHECK-FIXES-NEXT:     std::cout << "code 1: one more wait\n";
// CHECK-FIXES-NEXT:     timer_.expires_after(1ms);
// CHECK-FIXES-NEXT:     auto [ec] = co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:     std::cout << "code 1 done: " << ec.message() << "\n";
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   std::cout << "code " << code << ": nothing to wait for\n";
// CHECK-FIXES-NEXT: }

// The lingerer stays as it was.
// CHECK-FIXES:      timer_.async_wait([this, self = shared_from_this()](boost::system::error_code) {
// CHECK-FIXES-NEXT:   timer_.expires_after(1ms);
// CHECK-FIXES-NEXT:   timer_.async_wait([](boost::system::error_code ec) {

// CHECK-OUT:      turn 0: again
// CHECK-OUT-NEXT: turn 1: a short wait first
// CHECK-OUT-NEXT: short wait: Success
// CHECK-OUT-NEXT: turn 3: again
// CHECK-OUT-NEXT: turn 4: a short wait first
// CHECK-OUT-NEXT: short wait: Success
// CHECK-OUT-NEXT: last wait after turn 5: Success
// CHECK-OUT-NEXT: stepper gone
// CHECK-OUT-NEXT: code 1: one more wait
// CHECK-OUT-NEXT: code 1 done: Success
// CHECK-OUT-NEXT: stepper gone
// CHECK-OUT-NEXT: code 2: nothing to wait for
// CHECK-OUT-NEXT: stepper gone
// CHECK-OUT-NEXT: lingerer gone
// CHECK-OUT-NEXT: lingering wait: Operation canceled
// CHECK-OUT-NEXT: end
