// A Beast HTTP client in the style of Beast's callback example: run starts
// resolve, and each step's handler is the next member function, bound with
// beast::bind_front_handler(&session::on_x, shared_from_this()). The whole
// chain becomes one private member coroutine, run_coro(host, port), which
// run spawns on the resolver's executor after what it does before its first
// operation, through a lambda holding the self keeper and the parameters the
// coroutine reads. Every handler is used once: each is inlined and its
// definition removed. `if (ec) return fail(ec, "...");` becomes
// `if (ec) { fail(ec, "..."); co_return; }`. The rewrite spells Asio `net::`.
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE -include utility
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --min-confidence=risky --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx %{flags} %t.cpp
// RUN: %awaitify check --min-confidence=risky --no-project-rules %t.cpp -- %{flags} | count 0

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <iostream>
#include <memory>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

void fail(beast::error_code ec, char const *what);

class session : public std::enable_shared_from_this<session> {
  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> req_;
  http::response<http::string_body> res_;

public:
  explicit session(net::io_context &ioc) : resolver_(ioc), stream_(ioc) {}

  void run(char const *host, char const *port) {
    req_.set(http::field::host, host);
    // Look up the domain name
    resolver_.async_resolve(host, port,
        beast::bind_front_handler(&session::on_resolve, shared_from_this()));
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return fail(ec, "resolve");
    stream_.async_connect(results,
        beast::bind_front_handler(&session::on_connect, shared_from_this()));
  }

  void on_connect(beast::error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (ec)
      return fail(ec, "connect");
    // Send the request
    http::async_write(stream_, req_,
        beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "write");
    http::async_read(stream_, buffer_, res_,
        beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t bytes_transferred) {
    if (ec)
      return fail(ec, "read");
    std::cout << res_.result_int() << " " << bytes_transferred << "\n";
  }
};

// CHECK-MESSAGES: asio-beast-client.cpp.tmp.cpp:45:5: warning: callback chain of 4 calls (depth 4) in 'session::run' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]
// CHECK-MESSAGES-NEXT: :45:5: note: step 1: 'boost::asio::ip::basic_resolver::async_resolve' completes into this callback
// CHECK-MESSAGES-NEXT: :52:5: note: step 2: 'boost::beast::basic_stream::async_connect' completes into this callback
// CHECK-MESSAGES-NEXT: :60:5: note: step 3: 'boost::beast::http::async_write' completes into this callback
// CHECK-MESSAGES-NEXT: :67:5: note: step 4: 'boost::beast::http::async_read' completes into this callback
// CHECK-MESSAGES-NEXT: :45:5: note: assumes: with Boost {{[0-9.]+}}, co_spawn posts the coroutine: its first operation would start on a later turn of the executor, after work already queued there, not inside the call as before (Asio 1.22 and Boost 1.78 dispatch it)

// What run() does before its first operation stays in the call.
// CHECK-FIXES:      void run(char const *host, char const *port) {
// CHECK-FIXES-NEXT:   req_.set(http::field::host, host);
// CHECK-FIXES-NEXT:   net::co_spawn(
// CHECK-FIXES-NEXT:       resolver_.get_executor(),
// CHECK-FIXES-NEXT:       [self = shared_from_this(), host, port] {
// CHECK-FIXES-NEXT:         return self->run_coro(host, port);
// CHECK-FIXES-NEXT:       },
// CHECK-FIXES-NEXT:       rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   net::awaitable<void> run_coro(char const *host, char const *port) {
// CHECK-FIXES-NEXT:     // Look up the domain name
// CHECK-FIXES-NEXT:     beast::error_code ec;
// CHECK-FIXES-NEXT:     tcp::resolver::results_type results = co_await resolver_.async_resolve(
// CHECK-FIXES-NEXT:         host, port, net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec) {
// CHECK-FIXES-NEXT:       fail(ec, "resolve");
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     }
// The handler's unnamed endpoint parameter is dropped: nothing is bound.
// CHECK-FIXES-NEXT:     co_await stream_.async_connect(results,
// CHECK-FIXES-NEXT:                                    net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec) {
// CHECK-FIXES-NEXT:       fail(ec, "connect");
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     // Send the request
// CHECK-FIXES-NEXT:     co_await http::async_write(stream_, req_,
// CHECK-FIXES-NEXT:                                net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec) {
// CHECK-FIXES-NEXT:       fail(ec, "write");
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     std::size_t bytes_transferred = co_await http::async_read(
// CHECK-FIXES-NEXT:         stream_, buffer_, res_, net::redirect_error(net::use_awaitable, ec));
// CHECK-FIXES-NEXT:     if (ec) {
// CHECK-FIXES-NEXT:       fail(ec, "read");
// CHECK-FIXES-NEXT:       co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:     std::cout << res_.result_int() << " " << bytes_transferred << "\n";
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-NOT:  on_resolve
// CHECK-FIXES-NOT:  on_connect
// CHECK-FIXES-NOT:  on_write
// CHECK-FIXES-NOT:  on_read
// CHECK-FIXES-NOT:  bind_front_handler
