// C++03-style Asio code, as Boost's older examples wrote it: handlers bound
// with boost::bind and Asio's named placeholders
// (boost::asio::placeholders::error, ::bytes_transferred), an owner from
// boost::enable_shared_from_this, and handlers taking
// `const boost::system::error_code &`. The read loop start -> handle_read
// -> handle_write -> handle_read converts: the placeholders are recognised
// by their type (boost::arg<N>, which Asio's are functions returning); the
// loop's body is the read and the write, each `if (!error)` an early exit,
// and the handlers' `const` reference parameters plain locals of the body.
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --min-confidence=risky --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx %{flags} %t.cpp
// RUN: %check_rewrite g++ %{flags} -fsyntax-only %t.cpp
// RUN: %awaitify check --min-confidence=risky --no-project-rules %t.cpp -- %{flags} | count 0
// REQUIRES: gxx

#include <utility>
#include <boost/asio.hpp>
#include <boost/bind/bind.hpp>
#include <boost/enable_shared_from_this.hpp>
#include <cstddef>

using boost::asio::ip::tcp;

class session : public boost::enable_shared_from_this<session> {
public:
  explicit session(boost::asio::io_context &io) : socket_(io) {}

  tcp::socket &socket() { return socket_; }

  void start() {
    socket_.async_read_some(
        boost::asio::buffer(data_, max_length),
        boost::bind(&session::handle_read, shared_from_this(),
                    boost::asio::placeholders::error,
                    boost::asio::placeholders::bytes_transferred));
  }

private:
  void handle_read(const boost::system::error_code &error,
                   std::size_t bytes_transferred) {
    if (!error) {
      boost::asio::async_write(
          socket_, boost::asio::buffer(data_, bytes_transferred),
          boost::bind(&session::handle_write, shared_from_this(),
                      boost::asio::placeholders::error));
    }
  }

  void handle_write(const boost::system::error_code &error) {
    if (!error) {
      socket_.async_read_some(
          boost::asio::buffer(data_, max_length),
          boost::bind(&session::handle_read, shared_from_this(),
                      boost::asio::placeholders::error,
                      boost::asio::placeholders::bytes_transferred));
    }
  }

  tcp::socket socket_;
  enum { max_length = 1024 };
  char data_[max_length];
};
// CHECK-MESSAGES: warning: callback chain of 3 calls (depth 3) in 'session::start'

// CHECK-FIXES:      void start() {
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(
// CHECK-FIXES-NEXT:       socket_.get_executor(),
// CHECK-FIXES-NEXT:       [self = shared_from_this()] { return self->start_coro(); }, rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   boost::asio::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       boost::system::error_code error;
// CHECK-FIXES-NEXT:       std::size_t bytes_transferred = co_await socket_.async_read_some(
// CHECK-FIXES-NEXT:           boost::asio::buffer(data_, max_length),
// CHECK-FIXES-NEXT:           boost::asio::redirect_error(boost::asio::use_awaitable, error));
// CHECK-FIXES-NEXT:       if (error)
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       co_await boost::asio::async_write(
// CHECK-FIXES:            if (error)
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NOT:  boost::bind
// CHECK-FIXES-NOT:  handle_read
