// A handler called from several arms of one block, and nowhere else, is
// written once after the branch, as a person would (run before and after
// the rewrite, timers only, one actor at a time):
//  * pacer: `return pause(n, "third");`, a braced arm ending `pause(...);
//    return;` and a last `pause(n + 1, "odd");`: the calls assign pause's
//    parameters (declared before the first of them, renamed where a name is
//    taken -- also by a local of an arm), what followed each early call is
//    its else-arm (`} else if`), and pause's code follows the branch, inside
//    the loop tick and pause make;
//  * greeter: if / else if / else, two arms calling finish() (which takes
//    nothing: the calls go) and one returning;
//  * tracer: an arm declares a local whose destructor prints; joined, it
//    would die before finish() ran, not after: left alone, saying why.
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
#include <string>

namespace net = boost::asio;
using namespace std::chrono_literals;

// A tick waits, then pauses for a reason that depends on the tick; the
// pause goes on with the next tick.
class pacer : public std::enable_shared_from_this<pacer> {
public:
  explicit pacer(net::io_context &io) : timer_(io) {}
  ~pacer() { std::cout << "pacer gone\n"; }

  void start() { tick(0); }

private:
  void tick(int n) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, self = shared_from_this(),
                       n](boost::system::error_code ec) {
      if (ec)
        return;
      std::cout << "tick " << n << "\n";
      if (n % 3 == 0)
        return pause(n, "third");
      if (n % 2 == 0) {
        std::string why = "even";
        pause(n, why + " tick");
        return;
      }
      pause(n + 1, "odd");
    });
  }

  void pause(int n, std::string why) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, self = shared_from_this(), n,
                       why](boost::system::error_code ec) {
      std::cout << "paused after " << n << " (" << why
                << "): " << ec.message() << "\n";
      if (n < 6)
        tick(n + 1);
    });
  }

  net::steady_timer timer_;
};

// Every arm but the last finishes the same way; the last ends.
class greeter : public std::enable_shared_from_this<greeter> {
public:
  explicit greeter(net::io_context &io) : timer_(io) {}

  void start(int mood) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, self = shared_from_this(),
                       mood](boost::system::error_code) {
      if (mood > 0) {
        std::cout << "happy\n";
        finish();
      } else if (mood < 0) {
        std::cout << "grumpy\n";
        finish();
      } else {
        std::cout << "no mood: nothing to finish\n";
        return;
      }
    });
  }

private:
  void finish() {
    timer_.expires_after(1ms);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      std::cout << "finished: " << ec.message() << "\n";
    });
  }

  net::steady_timer timer_;
};

// A local that says when it dies, declared in an arm that calls finish():
// with the calls joined it would die before finish() runs, not after.
struct farewell {
  ~farewell() { std::cout << "farewell\n"; }
};

class tracer : public std::enable_shared_from_this<tracer> {
public:
  explicit tracer(net::io_context &io) : timer_(io) {}

  void start(int v) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, self = shared_from_this(),
                       v](boost::system::error_code) {
      if (v > 0) {
        farewell f;
        return finish();
      }
      finish();
    });
  }

private:
  void finish() {
    std::cout << "finishing\n";
    timer_.expires_after(1ms);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      std::cout << "traced: " << ec.message() << "\n";
    });
  }

  net::steady_timer timer_;
};

int main() {
  net::io_context io;
  std::make_shared<pacer>(io)->start();
  io.run();
  for (int mood : {1, -1, 0}) {
    io.restart();
    std::make_shared<greeter>(io)->start(mood);
    io.run();
  }
  for (int v : {1, 0}) {
    io.restart();
    std::make_shared<tracer>(io)->start(v);
    io.run();
  }
  std::cout << "end\n";
}

// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:18: warning: callback chain of 7 calls (depth 2) in 'pacer::start'
// CHECK-MESSAGES: note: 'n' renamed to 'n2'
// CHECK-MESSAGES: note: 'why' renamed to 'why2'
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: warning: callback chain of 4 calls (depth 2) in 'greeter::start'
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: remark: left alone in 'tracer::start': a single callback, not a chain (depth 1 < 2); the chain stops at 'tracer::finish', which is also named on line {{[0-9]+}}: it stays a function of its own rather than be copied (its calls cannot meet after the branch: 'f' (farewell) would be destroyed before the handler runs, not after)
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: remark: left alone in 'tracer::finish': a single callback, not a chain (depth 1 < 2)

// CHECK-FIXES:      net::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:   int n = 0;
// CHECK-FIXES-NEXT:   for (;;) {
// CHECK-FIXES-NEXT:     timer_.expires_after(1ms);
// CHECK-FIXES-NEXT:     auto [ec] = co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     std::cout << "tick " << n << "\n";
// CHECK-FIXES-NEXT:     int n2{};
// CHECK-FIXES-NEXT:     std::string why2;
// CHECK-FIXES-NEXT:     if (n % 3 == 0) {
// CHECK-FIXES-NEXT:       n2 = n;
// CHECK-FIXES-NEXT:       why2 = "third";
// CHECK-FIXES-NEXT:     } else if (n % 2 == 0) {
// CHECK-FIXES-NEXT:       std::string why = "even";
// CHECK-FIXES-NEXT:       n2 = n;
// CHECK-FIXES-NEXT:       why2 = why + " tick";
// CHECK-FIXES-NEXT:     } else {
// CHECK-FIXES-NEXT:       n2 = n + 1;
// CHECK-FIXES-NEXT:       why2 = "odd";
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     timer_.expires_after(1ms);
// CHECK-FIXES-NEXT:     auto [ec2] =
// CHECK-FIXES-NEXT:         co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:     std::cout << "paused after " << n2 << " (" << why2
// CHECK-FIXES-NEXT:               << "): " << ec2.message() << "\n";
// CHECK-FIXES-NEXT:     if (n2 >= 6)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     n = n2 + 1;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }

// CHECK-FIXES:      net::awaitable<void> start_coro(int mood) {
// CHECK-FIXES-NEXT:   co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:   if (mood > 0) {
// CHECK-FIXES-NEXT:     std::cout << "happy\n";
// CHECK-FIXES-NEXT:   } else if (mood < 0) {
// CHECK-FIXES-NEXT:     std::cout << "grumpy\n";
// CHECK-FIXES-NEXT:   } else {
// CHECK-FIXES-NEXT:     std::cout << "no mood: nothing to finish\n";
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   timer_.expires_after(1ms);
// CHECK-FIXES-NEXT:   auto [ec] = co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
// CHECK-FIXES-NEXT:   std::cout << "finished: " << ec.message() << "\n";
// CHECK-FIXES-NEXT: }

// The tracer stays as it was.
// CHECK-FIXES:      if (v > 0) {
// CHECK-FIXES-NEXT:   farewell f;
// CHECK-FIXES-NEXT:   return finish();
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-NEXT: finish();

// CHECK-OUT:      tick 0
// CHECK-OUT-NEXT: paused after 0 (third): Success
// CHECK-OUT-NEXT: tick 1
// CHECK-OUT-NEXT: paused after 2 (odd): Success
// CHECK-OUT-NEXT: tick 3
// CHECK-OUT-NEXT: paused after 3 (third): Success
// CHECK-OUT-NEXT: tick 4
// CHECK-OUT-NEXT: paused after 4 (even tick): Success
// CHECK-OUT-NEXT: tick 5
// CHECK-OUT-NEXT: paused after 6 (odd): Success
// CHECK-OUT-NEXT: pacer gone
// CHECK-OUT-NEXT: happy
// CHECK-OUT-NEXT: finished: Success
// CHECK-OUT-NEXT: grumpy
// CHECK-OUT-NEXT: finished: Success
// CHECK-OUT-NEXT: no mood: nothing to finish
// CHECK-OUT-NEXT: finishing
// CHECK-OUT-NEXT: farewell
// CHECK-OUT-NEXT: traced: Success
// CHECK-OUT-NEXT: finishing
// CHECK-OUT-NEXT: traced: Success
// CHECK-OUT-NEXT: end
