// An accept loop in the style of Asio's examples: do_accept is started from
// the constructor and its handler calls do_accept again. The recursion
// becomes a `for (;;)` loop in the member coroutine do_accept_coro(), which
// do_accept() spawns on the acceptor's executor. The class does not derive
// from enable_shared_from_this, so no lambda keeps it alive: do_accept_coro()
// itself is spawned. The constructor still calls do_accept(), which returns.
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE -include utility
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --min-confidence=risky --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx %{flags} %t.cpp
// RUN: %awaitify check --min-confidence=risky --no-project-rules %t.cpp -- %{flags} | count 0

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <utility>

using boost::asio::ip::tcp;

void serve(tcp::socket socket);
void report(const char *what);

class server {
public:
  server(boost::asio::io_context &io_context, int connections)
      : acceptor_(io_context, tcp::endpoint(tcp::v4(), 0)),
        remaining_(connections) {
    do_accept();
  }

private:
  void do_accept() {
    acceptor_.async_accept(
        [this](boost::system::error_code ec, tcp::socket socket) {
          if (!ec) {
            serve(std::move(socket));
          } else {
            report("accept failed");
          }
          // One connection fewer to wait for.
          if (--remaining_ > 0)
            do_accept();
        });
  }

  tcp::acceptor acceptor_;
  int remaining_;
};

// CHECK-MESSAGES: asio-accept-loop.cpp.tmp.cpp:35:5: warning: callback chain of 2 calls (depth 1) in 'server::do_accept' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]
// CHECK-MESSAGES-NEXT: :35:5: note: step 1: 'boost::asio::basic_socket_acceptor::async_accept' completes into this callback
// CHECK-MESSAGES-NEXT: :44:13: note: step 2: 'server::do_accept' completes into this callback
// CHECK-MESSAGES-NEXT: :35:5: note: assumes: with Boost {{[0-9.]+}}, co_spawn posts the coroutine: its first operation would start on a later turn of the executor, after work already queued there, not inside the call as before (Asio 1.22 and Boost 1.78 dispatch it)

// The constructor is unchanged: it starts the loop.
// CHECK-FIXES:      remaining_(connections) {
// CHECK-FIXES-NEXT:   do_accept();
// CHECK-FIXES-NEXT: }

// CHECK-FIXES:      void do_accept() {
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(acceptor_.get_executor(), do_accept_coro(), rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// The tail `if (--remaining_ > 0) do_accept();` becomes its negation, an
// early exit; the loop's back edge is the end of its body.
// CHECK-FIXES-NEXT: boost::asio::awaitable<void> do_accept_coro() {
// CHECK-FIXES-NEXT:   for (;;) {
// CHECK-FIXES-NEXT:     boost::system::error_code ec;
// CHECK-FIXES-NEXT:     tcp::socket socket = co_await acceptor_.async_accept(
// CHECK-FIXES-NEXT:         boost::asio::redirect_error(boost::asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (!ec) {
// CHECK-FIXES-NEXT:       serve(std::move(socket));
// CHECK-FIXES-NEXT:     } else {
// CHECK-FIXES-NEXT:       report("accept failed");
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     // One connection fewer to wait for.
// CHECK-FIXES-NEXT:     if (--remaining_ <= 0)
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-NOT:  shared_from_this
// CHECK-FIXES:      tcp::acceptor acceptor_;
