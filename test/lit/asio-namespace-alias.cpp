// A file that spells Boost.Asio through `namespace net = boost::asio;`: the
// rewrite spells it `net::` too (net::co_spawn, net::awaitable,
// net::redirect_error, net::use_awaitable). The handlers are members bound
// with std::bind(&session::on_x, shared_from_this(), _1, _2); run() dispatches
// do_read onto the socket's executor: run() spawns the member coroutine
// run_coro() on that executor; do_read, on_read and on_write are inlined and
// removed (run_coro() takes their place under `private:`), and the call back
// to do_read is the back edge, the end of the loop's body.
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE -include utility
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --min-confidence=risky --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx %{flags} %t.cpp
// RUN: %awaitify check --min-confidence=risky --no-project-rules %t.cpp -- %{flags} | count 0

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <array>
#include <functional>
#include <memory>
#include <utility>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::placeholders;

class session : public std::enable_shared_from_this<session> {
  tcp::socket socket_;
  std::array<char, 64> buf_;

public:
  explicit session(tcp::socket socket) : socket_(std::move(socket)) {}

  void run() {
    net::dispatch(socket_.get_executor(),
                  std::bind(&session::do_read, shared_from_this()));
  }

private:
  void do_read() {
    net::async_read(socket_, net::buffer(buf_),
                    std::bind(&session::on_read, shared_from_this(), _1, _2));
  }

  void on_read(boost::system::error_code ec, std::size_t n) {
    if (ec)
      return;
    net::async_write(socket_, net::buffer(buf_, n),
                     std::bind(&session::on_write, shared_from_this(), _1, _2));
  }

  void on_write(boost::system::error_code ec, std::size_t) {
    if (!ec)
      do_read(); // again
  }
};

// CHECK-MESSAGES: asio-namespace-alias.cpp.tmp.cpp:39:5: warning: callback chain of 4 calls (depth 2) in 'session::run' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]
// CHECK-MESSAGES-NEXT: :39:5: note: step 1: 'boost::asio::dispatch' completes into this callback
// CHECK-MESSAGES-NEXT: :45:5: note: step 2: 'boost::asio::async_read' completes into this callback
// CHECK-MESSAGES-NEXT: :52:5: note: step 3: 'boost::asio::async_write' completes into this callback
// CHECK-MESSAGES-NEXT: :58:7: note: step 4: 'session::do_read' completes into this callback
// CHECK-MESSAGES-NEXT: :39:5: note: assumes: with Boost {{[0-9.]+}}, co_spawn posts the coroutine: its first operation would start on a later turn of the executor, after work already queued there, not inside the call as before (Asio 1.22 and Boost 1.78 dispatch it)

// CHECK-FIXES:      namespace net = boost::asio;
// CHECK-FIXES-NOT:  boost::asio::
// CHECK-FIXES:      void run() {
// CHECK-FIXES-NEXT:   net::co_spawn(
// CHECK-FIXES-NEXT:       socket_.get_executor(),
// CHECK-FIXES-NEXT:       [self = shared_from_this()] { return self->run_coro(); }, rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   net::awaitable<void> run_coro() {
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       boost::system::error_code ec;
// CHECK-FIXES-NEXT:       std::size_t n =
// CHECK-FIXES-NEXT:           co_await net::async_read(socket_, net::buffer(buf_),
// CHECK-FIXES-NEXT:                                    net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec)
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       co_await net::async_write(socket_, net::buffer(buf_, n),
// CHECK-FIXES-NEXT:                                 net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec)
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       // again
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-NOT:  do_read
// CHECK-FIXES-NOT:  on_read
// CHECK-FIXES-NOT:  on_write
// CHECK-FIXES-NOT:  std::bind
