// A write queue, as in Asio's chat example: deliver() is called from
// outside the read loop and starts do_write when the queue was empty, and
// do_write's handler writes the next message while there is one. A read and
// a write may be outstanding on the socket at once, as before: the two
// chains become two member coroutines, a read loop and a write loop, each
// with one operation outstanding at a time. start() spawns the read loop,
// start_coro(). deliver() is unchanged: it enters the write loop only
// sometimes (when no write loop is running), and what it does before must
// stay synchronous for its callers, so do_write stays the entry and spawns
// the write loop, do_write_coro(); each loop ends on an early exit.
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE -include utility
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --min-confidence=risky --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx %{flags} %t.cpp
// RUN: %awaitify check --min-confidence=risky --no-project-rules %t.cpp -- %{flags} | count 0

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <utility>

using boost::asio::ip::tcp;

class chat_session : public std::enable_shared_from_this<chat_session> {
public:
  void start() { do_read(); }

  void deliver(std::string msg) {
    bool idle = queue_.empty();
    queue_.push_back(std::move(msg));
    if (idle)
      do_write();
  }

private:
  void do_read() {
    auto self(shared_from_this());
    boost::asio::async_read(socket_, boost::asio::buffer(data_),
        [this, self](boost::system::error_code ec, std::size_t) {
          if (!ec)
            do_read();
        });
  }

  void do_write() {
    auto self(shared_from_this());
    boost::asio::async_write(socket_, boost::asio::buffer(queue_.front()),
        [this, self](boost::system::error_code ec, std::size_t) {
          if (ec)
            return;
          queue_.pop_front();
          if (!queue_.empty())
            do_write();
        });
  }

  tcp::socket socket_;
  char data_[64];
  std::deque<std::string> queue_;
};

// CHECK-MESSAGES: asio-write-queue.cpp.tmp.cpp:34:18: warning: callback chain of 3 calls (depth 1) in 'chat_session::start' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]
// CHECK-MESSAGES: asio-write-queue.cpp.tmp.cpp:55:5: warning: callback chain of 2 calls (depth 1) in 'chat_session::do_write' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]
// CHECK-MESSAGES-NEXT: :55:5: note: step 1: 'boost::asio::async_write' completes into this callback
// CHECK-MESSAGES-NEXT: :61:13: note: step 2: 'chat_session::do_write' completes into this callback

// start_coro() is declared next to start(), in a private section of its own.
// CHECK-FIXES:      public:
// CHECK-FIXES-NEXT:   void start() {
// CHECK-FIXES-NEXT:     boost::asio::co_spawn(
// CHECK-FIXES-NEXT:         socket_.get_executor(),
// CHECK-FIXES-NEXT:         [self = shared_from_this()] { return self->start_coro(); }, rethrow);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   boost::asio::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       boost::system::error_code ec;
// CHECK-FIXES-NEXT:       co_await boost::asio::async_read(
// CHECK-FIXES-NEXT:           socket_, boost::asio::buffer(data_),
// CHECK-FIXES-NEXT:           boost::asio::redirect_error(boost::asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec)
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:

// CHECK-FIXES:      void deliver(std::string msg) {
// CHECK-FIXES-NEXT:   bool idle = queue_.empty();
// CHECK-FIXES-NEXT:   queue_.push_back(std::move(msg));
// CHECK-FIXES-NEXT:   if (idle)
// CHECK-FIXES-NEXT:     do_write();
// CHECK-FIXES-NEXT: }

// CHECK-FIXES:      void do_write() {
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(
// CHECK-FIXES-NEXT:       socket_.get_executor(),
// CHECK-FIXES-NEXT:       [self = shared_from_this()] { return self->do_write_coro(); }, rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: boost::asio::awaitable<void> do_write_coro() {
// CHECK-FIXES-NEXT:   for (;;) {
// CHECK-FIXES-NEXT:     boost::system::error_code ec;
// CHECK-FIXES-NEXT:     co_await boost::asio::async_write(
// CHECK-FIXES-NEXT:         socket_, boost::asio::buffer(queue_.front()),
// CHECK-FIXES-NEXT:         boost::asio::redirect_error(boost::asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     queue_.pop_front();
// CHECK-FIXES-NEXT:     if (queue_.empty())
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }

// At the default minimum confidence both are left alone: with Boost 1.74,
// co_spawn posts the coroutine, so do_write's first async_write would start
// on a later turn of the executor -- after a close() posted meanwhile, which
// then drops the queued lines. The remark says so.
// RUN: %awaitify check --explain --no-project-rules %s -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=DEFAULT --implicit-check-not=warning:
// DEFAULT: :34:18: remark: left alone in 'chat_session::start': confidence 'risky' is below the minimum 'reasonable'; with Boost {{[0-9.]+}}, co_spawn posts the coroutine: its first operation would start on a later turn of the executor, after work already queued there, not inside the call as before
// DEFAULT: :55:5: remark: left alone in 'chat_session::do_write': confidence 'risky' is below the minimum 'reasonable'; with Boost {{[0-9.]+}}, co_spawn posts the coroutine
