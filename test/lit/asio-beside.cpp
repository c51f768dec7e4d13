// Operations a function starts before its chain, not in tail position, whose
// callbacks start nothing more: each runs beside the chain, in a coroutine
// of its own that the function spawns where the call was. Run before and
// after the rewrite:
//  * a guard timer armed before a step loop, its callback capturing `this`
//    and copies of the function's parameters (an int, read; a string, kept
//    const as the capture was);
//  * a guard whose callback owns the object through an init-capture
//    (`[self = shared_from_this()]`);
//  * a free function whose loop arms a guard on every turn, capturing a
//    pointer (a generic callback);
//  * left alone, and why: a callback that captures by reference, one whose
//    object the function names again after the call, and one whose
//    callback starts another operation.
//
// REQUIRES: boost181
// DEFINE: %{flags} = -std=c++20 -I%boost181_include -pthread
// DEFINE: %{san} = -fsanitize=address,undefined -fno-sanitize-recover=all -g1
// RUN: grep -v '^// [A-Z-]*:' %s > %t.orig.cpp
// RUN: %build_cxx %{flags} %{san} %t.orig.cpp -o %t.before
// RUN: %t.before > %t.before.txt
// RUN: cp %t.orig.cpp %t.cpp
// RUN: %awaitify fix --no-project-rules --explain %t.cpp -- %{flags} \
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
#include <memory>
#include <string>

using namespace std::chrono_literals;

// A step loop with a guard timer: the guard is cancelled when the loop is
// done, and its callback reports with the copies it captured.
class stepper {
public:
  explicit stepper(boost::asio::io_context &io) : timer_(io), guard_(io) {}

  void start(int id, std::string label) {
    guard_.expires_after(10s);
    guard_.async_wait([this, id, label](boost::system::error_code ec) {
      std::cout << label << " " << id << ": guard "
                << (ec ? "cancelled" : "fired") << " after " << steps_
                << " steps\n";
    });
    step(0);
  }

private:
  void step(int i) {
    if (i == 3) {
      guard_.cancel();
      return;
    }
    ++steps_;
    timer_.expires_after(1ms);
    timer_.async_wait([this, i](boost::system::error_code ec) {
      if (!ec)
        step(i + 1);
    });
  }

  boost::asio::steady_timer timer_;
  boost::asio::steady_timer guard_;
  int steps_ = 0;
};

// CHECK-FIXES:      void start(int id, std::string label) {
// CHECK-FIXES-NEXT:   guard_.expires_after(10s);
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(guard_.get_executor(), guard_wait(id, label),
// CHECK-FIXES-NEXT:                         rethrow);
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(timer_.get_executor(), start_coro(), rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES:      private:
// CHECK-FIXES-NEXT:   boost::asio::awaitable<void> guard_wait(int id, const std::string label) {
// CHECK-FIXES-NEXT:   auto [ec] = co_await guard_.async_wait(
// CHECK-FIXES-NEXT:       boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:   std::cout << label << " " << id << ": guard "

// An object owned by its callbacks: the guard's owns it through an
// init-capture, which the coroutine's parameter becomes (the spawn takes
// shared_from_this() where the callback did).
class owned : public std::enable_shared_from_this<owned> {
public:
  explicit owned(boost::asio::io_context &io) : timer_(io), guard_(io) {}
  ~owned() { std::cout << "owned destroyed\n"; }

  void start() {
    guard_.expires_after(10s);
    guard_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      self->report(ec);
    });
    step(0);
  }

private:
  void report(boost::system::error_code ec) {
    std::cout << "owned guard " << (ec ? "cancelled" : "fired") << "\n";
  }

  void step(int i) {
    if (i == 2) {
      guard_.cancel();
      return;
    }
    timer_.expires_after(1ms);
    timer_.async_wait(
        [this, self = shared_from_this(), i](boost::system::error_code ec) {
          if (!ec)
            step(i + 1);
        });
  }

  boost::asio::steady_timer timer_;
  boost::asio::steady_timer guard_;
};

// CHECK-FIXES:      boost::asio::co_spawn(guard_.get_executor(), guard_wait(shared_from_this()),
// CHECK-FIXES:      boost::asio::awaitable<void> guard_wait(const std::shared_ptr<owned> self) {
// CHECK-FIXES-NEXT:   auto [ec] = co_await guard_.async_wait(
// CHECK-FIXES-NEXT:       boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:   self->report(ec);
// CHECK-FIXES-NEXT: }

struct countdown_state {
  explicit countdown_state(boost::asio::io_context &io) : timer(io), guard(io) {}
  boost::asio::steady_timer timer;
  boost::asio::steady_timer guard;
  int guards = 0;
};

// Each turn arms the guard again, which cancels the last turn's wait.
void countdown(countdown_state *st, int n) {
  if (n == 0) {
    st->guard.cancel();
    return;
  }
  st->guard.expires_after(10s);
  st->guard.async_wait([st](auto ec) {
    ++st->guards;
    std::cout << "guard " << st->guards << (ec ? " cancelled" : " fired")
              << "\n";
  });
  std::cout << "countdown " << n << "\n";
  st->timer.expires_after(1ms);
  st->timer.async_wait([st, n](boost::system::error_code ec) {
    if (!ec)
      countdown(st, n - 1);
  });
}

// CHECK-FIXES:      boost::asio::awaitable<void> guard_wait(countdown_state *st) {
// CHECK-FIXES-NEXT:   auto [ec] = co_await st->guard.async_wait(
// CHECK-FIXES-NEXT:       boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:   ++st->guards;
// CHECK-FIXES:      boost::asio::awaitable<void> countdown_coro(countdown_state *st, int n) {
// CHECK-FIXES:          st->guard.expires_after(10s);
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(st->guard.get_executor(), guard_wait(st), rethrow);
// CHECK-FIXES-NEXT:   std::cout << "countdown " << n << "\n";
// CHECK-FIXES:          n = n - 1;

// The step loops' `if (!ec && i < 2) step(i + 1);` ends the chain otherwise:
// its negation, written out.
// CHECK-FIXES:      if (ec || i >= 2)
// CHECK-FIXES-NEXT:   co_return;

// Left alone: a counter captured by reference (here a reference to a
// member, which outlives the callback).
class refcount {
public:
  explicit refcount(boost::asio::io_context &io) : timer_(io), guard_(io) {}

  void start() {
    int &count = fired_;
    guard_.expires_after(10s);
    guard_.async_wait([&count](boost::system::error_code) { ++count; });
    guard_.cancel();
    step(0);
  }

private:
  void step(int i) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, i](boost::system::error_code ec) {
      if (!ec && i < 2)
        step(i + 1);
    });
  }

  boost::asio::steady_timer timer_;
  boost::asio::steady_timer guard_;
  int fired_ = 0;
};

// Left alone: the guard is cancelled right after the call, before its
// operation would start if the function ran outside a handler.
class canceller {
public:
  explicit canceller(boost::asio::io_context &io) : timer_(io), guard_(io) {}

  void start() {
    guard_.expires_after(10s);
    guard_.async_wait([](boost::system::error_code ec) {
      std::cout << "canceller guard " << (ec ? "cancelled" : "fired") << "\n";
    });
    guard_.cancel();
    step(0);
  }

private:
  void step(int i) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, i](boost::system::error_code ec) {
      if (!ec && i < 2)
        step(i + 1);
    });
  }

  boost::asio::steady_timer timer_;
  boost::asio::steady_timer guard_;
};

// Left alone: the guard's callback starts another wait (two operations
// outstanding, in a chain of their own).
class rearm {
public:
  explicit rearm(boost::asio::io_context &io) : timer_(io), guard_(io) {}

  void start() {
    guard_.expires_after(1ms);
    guard_.async_wait([this](boost::system::error_code) {
      guard_.expires_after(1ms);
      guard_.async_wait([](boost::system::error_code) {
        std::cout << "rearm guard twice\n";
      });
    });
    step(0);
  }

private:
  void step(int i) {
    timer_.expires_after(1ms);
    timer_.async_wait([this, i](boost::system::error_code ec) {
      if (!ec && i < 2)
        step(i + 1);
    });
  }

  boost::asio::steady_timer timer_;
  boost::asio::steady_timer guard_;
};

int main() {
  // One io_context each: nothing interleaves.
  {
    boost::asio::io_context io;
    stepper s(io);
    s.start(7, "stepper");
    io.run();
  }
  {
    boost::asio::io_context io;
    std::make_shared<owned>(io)->start();
    io.run();
  }
  {
    boost::asio::io_context io;
    countdown_state st(io);
    countdown(&st, 2);
    io.run();
  }
  {
    boost::asio::io_context io;
    refcount r(io);
    r.start();
    canceller c(io);
    c.start();
    rearm a(io);
    a.start();
    io.run();
  }
  std::cout << "done\n";
}
// CHECK-OUT: stepper 7: guard cancelled after 3 steps
// CHECK-OUT: owned guard cancelled
// CHECK-OUT-NEXT: owned destroyed
// CHECK-OUT: countdown 2
// CHECK-OUT: countdown 1
// CHECK-OUT: guard 1 cancelled
// CHECK-OUT: guard 2 cancelled
// CHECK-OUT: done

// What it says, in order: the chains (each operation beside a chain is its
// first step, with the assumption it adds), then what it left alone.
// CHECK-MESSAGES: .cpp:{{[0-9]+}}:5: warning: callback chain of 4 calls (depth 1) in 'stepper::start'
// CHECK-MESSAGES-NEXT: note: step 1: 'boost::asio::basic_waitable_timer::async_wait' completes into this callback
// CHECK-MESSAGES-NEXT: note: step 2: 'stepper::step' completes into this callback
// CHECK-MESSAGES: note: assumes: the callback of 'boost::asio::basic_waitable_timer::async_wait' on line {{[0-9]+}} runs in a coroutine of its own ('guard_wait'), spawned where the call was: its operation starts inside the call when 'stepper::start' is called from a handler running on that operation's executor, else after the code that follows the call
// CHECK-MESSAGES: warning: callback chain of {{[0-9]+}} calls (depth 1) in 'owned::start'
// CHECK-MESSAGES-NEXT: note: step 1: 'boost::asio::basic_waitable_timer::async_wait' completes into this callback
// CHECK-MESSAGES: .cpp:{{[0-9]+}}:3: warning: callback chain of 3 calls (depth 1) in 'countdown'
// CHECK-MESSAGES-NEXT: note: step 1: 'boost::asio::basic_waitable_timer::async_wait' completes into this callback
// CHECK-MESSAGES: note: assumes: the callback of 'boost::asio::basic_waitable_timer::async_wait' on line {{[0-9]+}} runs in a coroutine of its own ('guard_wait')
// CHECK-MESSAGES: warning: callback chain of 3 calls (depth 1) in 'refcount::start'
// CHECK-MESSAGES-NEXT: note: step 1: 'refcount::step' completes into this callback
// CHECK-MESSAGES: warning: callback chain of 3 calls (depth 1) in 'canceller::start'
// CHECK-MESSAGES: warning: callback chain of 3 calls (depth 1) in 'rearm::start'
// CHECK-MESSAGES: remark: left alone in 'refcount::start': the call of 'boost::asio::basic_waitable_timer::async_wait' is not in tail position, and its callback cannot run beside the chain in a coroutine of its own: its callback captures 'count' (int) by reference
// CHECK-MESSAGES: remark: left alone in 'canceller::start': the call of 'boost::asio::basic_waitable_timer::async_wait' is not in tail position, and its callback cannot run beside the chain in a coroutine of its own: 'guard_', which the call reads, is named again after it in 'canceller::start': where the operation would start later (the function not called from a handler on its executor), that code would run first
// CHECK-MESSAGES: remark: left alone in 'rearm::start': the call of 'boost::asio::basic_waitable_timer::async_wait' is not in tail position, and its callback cannot run beside the chain in a coroutine of its own: its callback starts another operation ('boost::asio::basic_waitable_timer::async_wait')
