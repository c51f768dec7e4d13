// A step function that calls itself with new values becomes a loop that
// assigns its parameters. Run before and after the rewrite:
//  * a value that reads another parameter's old value: that parameter is
//    assigned after it, with no temporaries (`total = total + i; i = i + 1;`);
//  * values that read each other's old values (a Fibonacci step): each goes
//    through a temporary first, copied back (ints are not moved);
//  * a value that calls something (a string's operator+): temporaries in the
//    call's order, the string moved back.
//
// REQUIRES: boost181
// DEFINE: %{flags} = -std=c++20 -I%boost181_include -pthread
// DEFINE: %{san} = -fsanitize=address,undefined -fno-sanitize-recover=all -g1
// RUN: grep -v '^// [A-Z-]*:' %s > %t.orig.cpp
// RUN: %build_cxx %{flags} %{san} %t.orig.cpp -o %t.before
// RUN: %t.before > %t.before.txt
// RUN: cp %t.orig.cpp %t.cpp
// RUN: %awaitify fix --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: FileCheck %s --check-prefix=CHECK-FIXES --input-file=%t.cpp
// RUN: %check_rewrite --original %t.orig.cpp %build_cxx %{flags} -Wall -Wextra -Werror %{san} %t.cpp -o %t.after
// RUN: %t.after > %t.after.txt
// RUN: diff %t.before.txt %t.after.txt
// RUN: FileCheck %s --check-prefix=CHECK-OUT --input-file=%t.after.txt

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <iostream>
#include <string>

using namespace std::chrono_literals;

class stepper {
public:
  explicit stepper(boost::asio::io_context &io) : timer_(io) {}

  // Sums 0 + 1 + 2 + 3, one wait per term.
  void sum(int i, int total) {
    std::cout << "sum " << i << " " << total << "\n";
    if (i == 4)
      return;
    timer_.expires_after(1ms);
    timer_.async_wait([this, i, total](boost::system::error_code ec) {
      if (!ec)
        sum(i + 1, total + i);
    });
  }

  // Fibonacci numbers, one wait per step.
  void fib(int a, int b, int n) {
    std::cout << "fib " << a << "\n";
    if (n == 0)
      return;
    timer_.expires_after(1ms);
    timer_.async_wait([this, a, b, n](boost::system::error_code ec) {
      if (!ec)
        fib(b, a + b, n - 1);
    });
  }

  // A label that grows by one letter per step.
  void grow(std::string label, int n) {
    std::cout << "grow " << label << "\n";
    if (n == 0)
      return;
    timer_.expires_after(1ms);
    timer_.async_wait([this, label, n](boost::system::error_code ec) {
      if (!ec)
        grow(label + "o", n - 1);
    });
  }

private:
  boost::asio::steady_timer timer_;
};
// CHECK-MESSAGES: warning: callback chain of 2 calls (depth 1) in 'stepper::sum'
// CHECK-MESSAGES: warning: callback chain of 2 calls (depth 1) in 'stepper::fib'
// CHECK-MESSAGES: warning: callback chain of 2 calls (depth 1) in 'stepper::grow'

// CHECK-FIXES:      boost::asio::awaitable<void> sum_coro(int i, int total) {
// CHECK-FIXES:          if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     total = total + i;
// CHECK-FIXES-NEXT:     i = i + 1;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES:      boost::asio::awaitable<void> fib_coro(int a, int b, int n) {
// CHECK-FIXES:          if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     auto next_a = b;
// CHECK-FIXES-NEXT:     auto next_b = a + b;
// CHECK-FIXES-NEXT:     auto next_n = n - 1;
// CHECK-FIXES-NEXT:     a = next_a;
// CHECK-FIXES-NEXT:     b = next_b;
// CHECK-FIXES-NEXT:     n = next_n;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES:      boost::asio::awaitable<void> grow_coro(std::string label, int n) {
// CHECK-FIXES:          if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     auto next_label = label + "o";
// CHECK-FIXES-NEXT:     auto next_n = n - 1;
// CHECK-FIXES-NEXT:     label = std::move(next_label);
// CHECK-FIXES-NEXT:     n = next_n;
// CHECK-FIXES-NEXT:   }

int main() {
  boost::asio::io_context io;
  stepper s(io);
  s.sum(0, 0);
  io.run();
  io.restart();
  s.fib(0, 1, 6);
  io.run();
  io.restart();
  s.grow("g", 3);
  io.run();
}
// CHECK-OUT: sum 4 6
// CHECK-OUT: fib 8
// CHECK-OUT: grow gooo
