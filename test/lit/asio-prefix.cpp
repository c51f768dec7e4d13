// What a function does before its first operation stays in the call, as
// it ran before the rewrite, when it declares nothing the coroutine could
// need and cannot return: counter::start sets count_ in the call and spawns
// the rest, the member coroutine start_coro(), which takes only the
// parameters it reads (`n` and `tag` are read before it, so it takes
// neither). greeter::start declares the buffer it writes before the first
// operation: the whole body is the coroutine.
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE -include utility
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --min-confidence=risky --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx %{flags} -Wall -Wextra -Werror %t.cpp
// RUN: %awaitify check --min-confidence=risky --no-project-rules %t.cpp -- %{flags} | count 0

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <cstddef>
#include <iostream>
#include <memory>
#include <string>

using boost::asio::ip::tcp;

class counter : public std::enable_shared_from_this<counter> {
  tcp::socket socket_;
  char data_[16];
  int count_ = 0;

public:
  explicit counter(tcp::socket s) : socket_(std::move(s)) {}

  void start(int n, const char *tag) {
    auto self(shared_from_this());
    count_ = n;
    std::cout << tag << "\n";
    // Read, then answer.
    socket_.async_read_some(
        boost::asio::buffer(data_),
        [this, self](boost::system::error_code ec, std::size_t len) {
          if (ec)
            return;
          boost::asio::async_write(
              socket_, boost::asio::buffer(data_, len),
              [this, self](boost::system::error_code, std::size_t) {
                --count_;
              });
        });
  }
};

class greeter : public std::enable_shared_from_this<greeter> {
  tcp::socket socket_;
  std::string reply_;

public:
  explicit greeter(tcp::socket s) : socket_(std::move(s)) {}

  void start() {
    auto hello = std::make_shared<std::string>("hello\n");
    boost::asio::async_write(
        socket_, boost::asio::buffer(*hello),
        [this, hello](boost::system::error_code ec, std::size_t) {
          if (!ec)
            boost::asio::async_write(
                socket_, boost::asio::buffer(reply_),
                [](boost::system::error_code, std::size_t) {});
        });
  }
};

// CHECK-MESSAGES: asio-prefix.cpp.tmp.cpp:40:5: warning: callback chain of 2 calls (depth 2) in 'counter::start' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]
// CHECK-MESSAGES: asio-prefix.cpp.tmp.cpp:63:5: warning: callback chain of 2 calls (depth 2) in 'greeter::start' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]

// CHECK-FIXES:      void start(int n, const char *tag) {
// CHECK-FIXES-NEXT:   count_ = n;
// CHECK-FIXES-NEXT:   std::cout << tag << "\n";
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(
// CHECK-FIXES-NEXT:       socket_.get_executor(),
// CHECK-FIXES-NEXT:       [self = shared_from_this()] { return self->start_coro(); }, rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   boost::asio::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:     // Read, then answer.
// CHECK-FIXES-NEXT:     boost::system::error_code ec;
// CHECK-FIXES-NEXT:     std::size_t len = co_await socket_.async_read_some(
// CHECK-FIXES:            --count_;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT: };

// CHECK-FIXES:      void start() {
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(
// CHECK-FIXES-NEXT:       socket_.get_executor(),
// CHECK-FIXES-NEXT:       [self = shared_from_this()] { return self->start_coro(); }, rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   boost::asio::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:     auto hello = std::make_shared<std::string>("hello\n");
// CHECK-FIXES-NEXT:     boost::system::error_code ec;
// CHECK-FIXES-NEXT:     co_await boost::asio::async_write(
// CHECK-FIXES-NEXT:         socket_, boost::asio::buffer(*hello),
