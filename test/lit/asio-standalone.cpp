// Standalone Asio (namespace asio, std::error_code, <asio/...> headers): a
// line session whose start() calls do_read, which reads a line with
// asio::async_read_until and hands it to do_write, whose handler reads
// again: start() spawns the member coroutine start_coro(), with the loop.
// The rewrite spells everything `asio::`, declares the error code with the
// handler's type (std::error_code), adds the <asio/...> headers it needs,
// keeps the block comment and follows the file's unaligned continuations.
//
// DEFINE: %{flags} = -std=c++20 -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE -include utility -include asio/version.hpp
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx %{flags} %t.cpp
// RUN: %awaitify check --no-project-rules %t.cpp -- %{flags} | count 0

#include <asio/buffer.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>
#include <cstddef>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

using asio::ip::tcp;

class line_session : public std::enable_shared_from_this<line_session> {
public:
  explicit line_session(tcp::socket socket) : socket_(std::move(socket)) {}

  void start() { do_read(); }

private:
  void do_read() {
    auto self(shared_from_this());
    asio::async_read_until(socket_, buf_, '\n',
        [this, self](std::error_code ec, std::size_t n) {
          if (ec) {
            std::cout << "read: " << ec.message() << "\n";
            return;
          }
          std::istream in(&buf_);
          std::getline(in, reply_);
          /* Answer with the same line. */
          do_write(n);
        });
  }

  void do_write(std::size_t n) {
    auto self(shared_from_this());
    reply_ += '\n';
    asio::async_write(socket_, asio::buffer(reply_),
        [this, self, n](std::error_code ec, std::size_t) {
          if (ec) {
            std::cout << "write: " << ec.message() << "\n";
            return;
          }
          std::cout << "echoed " << n << " bytes\n";
          do_read();
        });
  }

  tcp::socket socket_;
  asio::streambuf buf_;
  std::string reply_;
};

// CHECK-MESSAGES: asio-standalone.cpp.tmp.cpp:35:18: warning: callback chain of 5 calls (depth 2) in 'line_session::start' can be rewritten with co_await (confidence: reasonable) [awaitify-callback-chain]
// CHECK-MESSAGES-NEXT: :35:18: note: step 1: 'line_session::do_read' completes into this callback
// CHECK-MESSAGES-NEXT: :40:5: note: step 2: 'asio::async_read_until' completes into this callback
// CHECK-MESSAGES-NEXT: :49:11: note: step 3: 'line_session::do_write' completes into this callback
// CHECK-MESSAGES-NEXT: :56:5: note: step 4: 'asio::async_write' completes into this callback
// CHECK-MESSAGES-NEXT: :63:11: note: step 5: 'line_session::do_read' completes into this callback
// CHECK-MESSAGES-NEXT: :35:18: note: assumes: the first operation starts inside the call when 'line_session::start' is called from a handler running on the executor; called from anywhere else (before run(), another thread), it starts on a later turn of the executor

// The file's includes keep their order; the Asio headers the coroutine
// needs follow its own.
// CHECK-FIXES:      #include <asio/buffer.hpp>
// CHECK-FIXES-NEXT: #include <asio/ip/tcp.hpp>
// CHECK-FIXES-NEXT: #include <asio/read_until.hpp>
// CHECK-FIXES-NEXT: #include <asio/streambuf.hpp>
// CHECK-FIXES-NEXT: #include <asio/write.hpp>
// CHECK-FIXES-NEXT: #include <asio/co_spawn.hpp>
// CHECK-FIXES-NEXT: #include <asio/redirect_error.hpp>
// CHECK-FIXES-NEXT: #include <asio/use_awaitable.hpp>
// CHECK-FIXES-NOT:  boost

// CHECK-FIXES:      void start() {
// CHECK-FIXES-NEXT:   asio::co_spawn(
// CHECK-FIXES-NEXT:       socket_.get_executor(),
// CHECK-FIXES-NEXT:       [self = shared_from_this()] { return self->start_coro(); }, rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   asio::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       std::error_code ec;
// CHECK-FIXES-NEXT:       std::size_t n = co_await asio::async_read_until(
// CHECK-FIXES-NEXT:           socket_, buf_, '\n', asio::redirect_error(asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec) {
// CHECK-FIXES-NEXT:         std::cout << "read: " << ec.message() << "\n";
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       std::istream in(&buf_);
// CHECK-FIXES-NEXT:       std::getline(in, reply_);
// CHECK-FIXES-NEXT:       /* Answer with the same line. */
// CHECK-FIXES-NOT:        auto self
// CHECK-FIXES:            reply_ += '\n';
// CHECK-FIXES-NEXT:       co_await asio::async_write(socket_, asio::buffer(reply_),
// CHECK-FIXES-NEXT:           asio::redirect_error(asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec) {
// CHECK-FIXES-NEXT:         std::cout << "write: " << ec.message() << "\n";
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       std::cout << "echoed " << n << " bytes\n";
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: tcp::socket socket_;
