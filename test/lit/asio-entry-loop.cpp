// An entry that leads into a loop, as in Beast's websocket server session:
// run() hops onto the socket's executor into on_run, which writes a
// greeting; its handler starts the read loop do_read -> on_read -> on_write
// -> do_read. run() spawns the one coroutine, the private member run_coro():
// the hop and the prefix, then the loop, with do_read's body as the loop's
// body and the end of it as back edge. Every handler is inlined and removed,
// the loop's included (do_read is named twice: by the entry's path and by the
// back edge). The loop is defined before the entry, so it is first found as a
// chain of its own; the entry's chain takes it over.
//
// relay::run() hops to another executor halfway: that chain is left alone
// (dispatch onto a different executor is not a plain call there).
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE -include utility
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --explain --min-confidence=risky --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx %{flags} %t.cpp
// RUN: %awaitify check --min-confidence=risky --no-project-rules %t.cpp -- %{flags} | count 0

#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <cstddef>
#include <functional>
#include <iostream>
#include <memory>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::placeholders;

void fail(boost::system::error_code ec, const char *what) {
  std::cout << what << ": " << ec.message() << "\n";
}

class session : public std::enable_shared_from_this<session> {
  tcp::socket socket_;
  char data_[64];
  int echoed_ = 0;

  void do_read() {
    socket_.async_read_some(
        net::buffer(data_),
        std::bind(&session::on_read, shared_from_this(), _1, _2));
  }

  void on_read(boost::system::error_code ec, std::size_t n) {
    if (ec)
      return fail(ec, "read");
    net::async_write(socket_, net::buffer(data_, n),
                     std::bind(&session::on_write, shared_from_this(), _1, _2));
  }

  void on_write(boost::system::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "write");
    ++echoed_;
    do_read();
  }

public:
  explicit session(tcp::socket socket) : socket_(std::move(socket)) {}

  // Get on the socket's executor.
  void run() {
    net::dispatch(socket_.get_executor(),
                  std::bind(&session::on_run, shared_from_this()));
  }

  void on_run() {
    std::cout << "greeting\n";
    net::async_write(socket_, net::buffer("hello\n", 6),
                     std::bind(&session::on_greeted, shared_from_this(), _1, _2));
  }

  void on_greeted(boost::system::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "greet");
    // Echo from now on.
    do_read();
  }
};

class relay : public std::enable_shared_from_this<relay> {
  tcp::socket socket_;
  net::strand<net::any_io_executor> other_;

public:
  relay(tcp::socket socket, net::strand<net::any_io_executor> other)
      : socket_(std::move(socket)), other_(std::move(other)) {}

  void run() {
    net::async_write(socket_, net::buffer("x", 1),
                     std::bind(&relay::on_sent, shared_from_this(), _1, _2));
  }

  void on_sent(boost::system::error_code ec, std::size_t) {
    if (!ec)
      net::dispatch(other_, std::bind(&relay::on_other, shared_from_this()));
  }

  void on_other() {
    net::async_write(socket_, net::buffer("y", 1),
                     std::bind(&relay::on_done, shared_from_this(), _1, _2));
  }

  void on_done(boost::system::error_code, std::size_t) {}
};

// CHECK-MESSAGES: asio-entry-loop.cpp.tmp.cpp:70:5: warning: callback chain of 6 calls (depth 3) in 'session::run' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]
// CHECK-MESSAGES-NEXT: :70:5: note: step 1: 'boost::asio::dispatch' completes into this callback
// CHECK-MESSAGES-NEXT: :76:5: note: step 2: 'boost::asio::async_write' completes into this callback
// CHECK-MESSAGES-NEXT: :84:5: note: step 3: 'session::do_read' completes into this callback
// CHECK-MESSAGES-NEXT: :46:5: note: step 4: 'boost::asio::basic_stream_socket::async_read_some' completes into this callback
// CHECK-MESSAGES-NEXT: :54:5: note: step 5: 'boost::asio::async_write' completes into this callback
// CHECK-MESSAGES-NEXT: :62:5: note: step 6: 'session::do_read' completes into this callback
// CHECK-MESSAGES-NEXT: :70:5: note: assumes: with Boost {{[0-9.]+}}, co_spawn posts the coroutine: its first operation would start on a later turn of the executor, after work already queued there, not inside the call as before (Asio 1.22 and Boost 1.78 dispatch it)
// CHECK-MESSAGES: asio-entry-loop.cpp.tmp.cpp:97:5: remark: left alone in 'relay::run': the chain hops to executor 'other_', not the one it starts on ('socket_.get_executor()') [awaitify-callback-chain]

// CHECK-FIXES:      class session : public std::enable_shared_from_this<session> {
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// CHECK-FIXES-NEXT:   char data_[64];
// CHECK-FIXES-NEXT:   int echoed_ = 0;
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: public:
// CHECK-FIXES-NEXT:   explicit session(tcp::socket socket) : socket_(std::move(socket)) {}
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT:   // Get on the socket's executor.
// CHECK-FIXES-NEXT:   void run() {
// CHECK-FIXES-NEXT:     net::co_spawn(
// CHECK-FIXES-NEXT:         socket_.get_executor(),
// CHECK-FIXES-NEXT:         [self = shared_from_this()] { return self->run_coro(); }, rethrow);
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   net::awaitable<void> run_coro() {
// CHECK-FIXES-NEXT:     std::cout << "greeting\n";
// CHECK-FIXES-NEXT:     boost::system::error_code ec;
// CHECK-FIXES-NEXT:     co_await net::async_write(socket_, net::buffer("hello\n", 6),
// CHECK-FIXES-NEXT:                               net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec) {
// CHECK-FIXES-NEXT:       fail(ec, "greet");
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     // Echo from now on.
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       std::size_t n = co_await socket_.async_read_some(
// CHECK-FIXES-NEXT:           net::buffer(data_), net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec) {
// CHECK-FIXES-NEXT:         fail(ec, "read");
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       co_await net::async_write(socket_, net::buffer(data_, n),
// CHECK-FIXES-NEXT:                                 net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec) {
// CHECK-FIXES-NEXT:         fail(ec, "write");
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       ++echoed_;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-NOT:  session::
// CHECK-FIXES:      class relay
