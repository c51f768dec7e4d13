// Shapes of older and Beast-style Asio code, run before and after the
// rewrite (timers only, so that the program prints the same every time):
//  * std::bind with a value bound after the placeholder (countdown);
//  * a handler bound without placeholders, which takes no error code
//    (watchdog::check): the await drops what the operation completes with;
//  * a handler called through the object's owner (`self->step()`) and a
//    lambda that names its owner: the coroutine takes one itself;
//  * an unnamed parameter at a loop's back edge, boost::ignore_unused;
//  * tail ifs whose other arm ends the chain, written as early exits
//    (`if (ec) { ...; co_return; }`), with their conditions negated;
//  * a loop entered and re-entered by the same wait, which it starts with;
//  * generic lambdas (`auto` parameters) as the callbacks, forwarding ones
//    (`auto &&`) that an operation instantiates twice among them.
// Each chain is spawned as a member coroutine, with the file's `rethrow`.
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
// RUN: %awaitify check --no-project-rules %t.cpp -- %{flags} | count 0

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/core/ignore_unused.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <string>

using std::placeholders::_1;

class countdown {
public:
  explicit countdown(boost::asio::io_context &io) : timer_(io) {}

  void start(int from) {
    timer_.expires_after(std::chrono::milliseconds(1));
    timer_.async_wait(std::bind(&countdown::on_tick, this, _1, from));
  }

private:
  void on_tick(const boost::system::error_code &ec, int left) {
    if (!ec) {
      std::cout << "left " << left << "\n";
      if (left > 0)
        start(left - 1);
      else
        std::cout << "liftoff\n";
    } else {
      std::cout << "tick: " << ec.message() << "\n";
    }
  }

  boost::asio::steady_timer timer_;
};
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: warning: callback chain of 2 calls (depth 1) in 'countdown::start'
// CHECK-FIXES:      namespace {
// CHECK-FIXES-NEXT: // The completion of co_spawn: an exception that escapes a coroutine
// CHECK-FIXES:      constexpr auto rethrow = [](std::exception_ptr e) {
// CHECK-FIXES:      } // namespace
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: using std::placeholders::_1;
// CHECK-FIXES:      void start(int from) {
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(timer_.get_executor(), start_coro(from), rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   boost::asio::awaitable<void> start_coro(int from) {
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       timer_.expires_after(std::chrono::milliseconds(1));
// CHECK-FIXES-NEXT:       int left = from;
// CHECK-FIXES-NEXT:       auto [ec] = co_await timer_.async_wait(
// CHECK-FIXES-NEXT:           boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:       if (ec) {
// CHECK-FIXES-NEXT:         std::cout << "tick: " << ec.message() << "\n";
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       std::cout << "left " << left << "\n";
// CHECK-FIXES-NEXT:       if (left <= 0) {
// CHECK-FIXES-NEXT:         std::cout << "liftoff\n";
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       from = left - 1;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }

class watchdog {
public:
  explicit watchdog(boost::asio::io_context &io) : timer_(io) {}

  void start() {
    timer_.expires_after(std::chrono::milliseconds(2));
    timer_.async_wait(std::bind(&watchdog::check, this));
  }

private:
  void check() {
    if (++checks_ == 3) {
      std::cout << "watchdog done\n";
      return;
    }
    std::cout << "check " << checks_ << "\n";
    timer_.expires_after(std::chrono::milliseconds(2));
    timer_.async_wait(std::bind(&watchdog::check, this));
  }

  boost::asio::steady_timer timer_;
  int checks_ = 0;
};
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: warning: callback chain of 2 calls (depth 2) in 'watchdog::start'
// CHECK-FIXES:      void start() {
// CHECK-FIXES-NEXT:   timer_.expires_after(std::chrono::milliseconds(2));
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(timer_.get_executor(), start_coro(), rethrow);
// The way in and the way back are the same wait: the loop starts with it.
// CHECK-FIXES:      boost::asio::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:   for (;;) {
// CHECK-FIXES-NEXT:     co_await timer_.async_wait(
// CHECK-FIXES-NEXT:         boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:     if (++checks_ == 3) {
// CHECK-FIXES-NEXT:       std::cout << "watchdog done\n";
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     std::cout << "check " << checks_ << "\n";
// CHECK-FIXES-NEXT:     timer_.expires_after(std::chrono::milliseconds(2));
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }

class pinger : public std::enable_shared_from_this<pinger> {
public:
  explicit pinger(boost::asio::io_context &io) : timer_(io) {}

  void step() {
    timer_.expires_after(std::chrono::milliseconds(1));
    timer_.async_wait(
        [self = shared_from_this()](boost::system::error_code ec) {
          if (ec)
            return;
          if (++self->pings_ < 4)
            self->step();
          else
            std::cout << "pinged " << self->pings_ << "\n";
        });
  }

  void wait_twice() {
    timer_.expires_after(std::chrono::milliseconds(1));
    timer_.async_wait([this, self = shared_from_this()](
                          boost::system::error_code ec) {
      boost::ignore_unused(ec);
      if (pings_ > 100) {
        std::cout << "too many\n";
      } else {
        timer_.expires_after(std::chrono::milliseconds(1));
        timer_.async_wait([this, self](boost::system::error_code) {
          std::cout << "waited twice after " << pings_ << "\n";
        });
      }
    });
  }

private:
  boost::asio::steady_timer timer_;
  int pings_ = 0;
};
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: warning: callback chain of 2 calls (depth 1) in 'pinger::step'
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: warning: callback chain of 2 calls (depth 2) in 'pinger::wait_twice'
// CHECK-FIXES:      [self = shared_from_this()] { return self->step_coro(); }, rethrow);
// CHECK-FIXES:      boost::asio::awaitable<void> step_coro() {
// CHECK-FIXES-NEXT:   auto self = shared_from_this();
// CHECK-FIXES-NEXT:   for (;;) {
// CHECK-FIXES-NEXT:     timer_.expires_after(std::chrono::milliseconds(1));
// CHECK-FIXES-NEXT:     auto [ec] = co_await timer_.async_wait(
// CHECK-FIXES-NEXT:         boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     if (++self->pings_ >= 4) {
// CHECK-FIXES-NEXT:       std::cout << "pinged " << self->pings_ << "\n";
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }
// CHECK-FIXES:      boost::asio::awaitable<void> wait_twice_coro() {
// CHECK-FIXES-NEXT:   co_await timer_.async_wait(
// CHECK-FIXES-NEXT:       boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:   if (pings_ > 100) {
// CHECK-FIXES-NEXT:     std::cout << "too many\n";
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   timer_.expires_after(std::chrono::milliseconds(1));
// CHECK-FIXES-NEXT:   co_await timer_.async_wait(
// CHECK-FIXES-NEXT:       boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:   std::cout << "waited twice after " << pings_ << "\n";
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-NOT:  ignore_unused(

// Generic callbacks (`auto ec`, `const auto &ec2`): each runs as the one
// specialization async_wait makes of it.
class ticker : public std::enable_shared_from_this<ticker> {
public:
  explicit ticker(boost::asio::io_context &io) : timer_(io) {}

  void start() {
    timer_.expires_after(std::chrono::milliseconds(1));
    timer_.async_wait([this, self = shared_from_this()](auto ec) {
      if (ec)
        return;
      std::cout << "tick " << ++ticks_ << "\n";
      timer_.expires_after(std::chrono::milliseconds(1));
      timer_.async_wait([this, self](const auto &ec2) {
        if (ec2)
          return;
        std::cout << "tock " << ticks_ << "\n";
      });
    });
  }

private:
  boost::asio::steady_timer timer_;
  int ticks_ = 0;
};
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: warning: callback chain of 2 calls (depth 2) in 'ticker::start'
// CHECK-FIXES:      boost::asio::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:   auto [ec] = co_await timer_.async_wait(
// CHECK-FIXES-NEXT:       boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:   if (ec)
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   std::cout << "tick " << ++ticks_ << "\n";
// CHECK-FIXES-NEXT:   timer_.expires_after(std::chrono::milliseconds(1));
// CHECK-FIXES-NEXT:   auto [ec2] = co_await timer_.async_wait(
// CHECK-FIXES-NEXT:       boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:   if (ec2)
// CHECK-FIXES-NEXT:     co_return;
// CHECK-FIXES-NEXT:   std::cout << "tock " << ticks_ << "\n";
// CHECK-FIXES-NEXT: }

// Forwarding callbacks (`auto &&`), which async_write and async_read_some
// instantiate twice each (for `const T&` and `T&&` values): the two do the
// same, and the values are taken as the await's.
class pipe_pair {
public:
  explicit pipe_pair(boost::asio::io_context &io) : a_(io), b_(io) {
    boost::asio::local::connect_pair(a_, b_);
  }

  void start() {
    boost::asio::async_write(a_, out_, [this](auto &&ec, auto &&n) {
      std::cout << "wrote " << n << " " << !ec << "\n";
      b_.async_read_some(in_buf_, [this](auto &&ec2, auto &&m) {
        std::cout << "read " << std::string(in_, m) << " " << !ec2 << "\n";
      });
    });
  }

private:
  boost::asio::local::stream_protocol::socket a_, b_;
  boost::asio::const_buffer out_ = boost::asio::buffer("hello", 5);
  char in_[16];
  boost::asio::mutable_buffer in_buf_ = boost::asio::buffer(in_);
};
// CHECK-MESSAGES: {{.*}}.cpp:{{[0-9]+}}:5: warning: callback chain of 2 calls (depth 2) in 'pipe_pair::start'
// CHECK-FIXES:      boost::asio::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:   auto [ec, n] = co_await boost::asio::async_write(
// CHECK-FIXES-NEXT:       a_, out_, boost::asio::as_tuple(boost::asio::use_awaitable));
// CHECK-FIXES-NEXT:   std::cout << "wrote " << n << " " << !ec << "\n";
// CHECK-FIXES-NEXT:   auto [ec2, m] = co_await b_.async_read_some(

// One actor at a time: what they print does not depend on timing.
int main() {
  boost::asio::io_context io;
  countdown c(io);
  c.start(3);
  io.run();
  io.restart();
  watchdog w(io);
  w.start();
  io.run();
  io.restart();
  auto p = std::make_shared<pinger>(io);
  p->step();
  io.run();
  io.restart();
  p->wait_twice();
  io.run();
  io.restart();
  std::make_shared<ticker>(io)->start();
  io.run();
  io.restart();
  pipe_pair pp(io);
  pp.start();
  io.run();
}
// CHECK-OUT:      left 3
// CHECK-OUT-NEXT: left 2
// CHECK-OUT-NEXT: left 1
// CHECK-OUT-NEXT: left 0
// CHECK-OUT-NEXT: liftoff
// CHECK-OUT-NEXT: check 1
// CHECK-OUT-NEXT: check 2
// CHECK-OUT-NEXT: watchdog done
// CHECK-OUT-NEXT: pinged 4
// CHECK-OUT-NEXT: waited twice after 4
// CHECK-OUT-NEXT: tick 1
// CHECK-OUT-NEXT: tock 1
// CHECK-OUT-NEXT: wrote 5 1
// CHECK-OUT-NEXT: read hello 1
