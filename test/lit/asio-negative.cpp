// Asio code that must not change: `fix` leaves the file byte-identical,
// `check` finds nothing, and --explain says why each chain was left alone.
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE -include utility
// RUN: %awaitify check --explain --no-project-rules %s -- %{flags} \
// RUN:   | FileCheck %s --implicit-check-not=warning: --implicit-check-not=remark:
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-project-rules %t.cpp -- %{flags} | count 0
// RUN: cmp %s %t.cpp
// RUN: %clangxx %{flags} %t.cpp

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

using boost::asio::ip::tcp;

// do_write is reached from two places in do_read's handler, and neither is
// a back edge. The calls cannot meet after the branch (when n is 1 the
// handler ends without calling it): inlining it would copy it, so it stays
// a function of its own, and each half is a single callback. The remark
// names the handler the chain stops at, where else it is named and why the
// calls cannot meet.
class two_callers : public std::enable_shared_from_this<two_callers> {
public:
  void start() { do_read(); }

private:
  void do_read() {
    auto self(shared_from_this());
    boost::asio::async_read(socket_, boost::asio::buffer(data_),
        [this, self](boost::system::error_code ec, std::size_t n) {
          if (ec)
            return;
          if (data_[0] == 'q')
            return do_write(n, false);
          if (n > 1)
            do_write(n, true);
        });
  }
  // CHECK: asio-negative.cpp:[[@LINE-10]]:5: remark: left alone in 'two_callers::do_read': a single callback, not a chain (depth 1 < 2); the chain stops at 'two_callers::do_write', which is also named on line [[#@LINE-3]]: it stays a function of its own rather than be copied (its calls cannot meet after the branch: a way through the block's last statement ends without calling it) [awaitify-callback-chain]

  void do_write(std::size_t n, bool more) {
    auto self(shared_from_this());
    boost::asio::async_write(socket_, boost::asio::buffer(data_, n),
        [this, self, more](boost::system::error_code ec, std::size_t) {
          if (!ec && more)
            do_read();
        });
  }
  // CHECK: asio-negative.cpp:[[@LINE-6]]:5: remark: left alone in 'two_callers::do_write': a single callback, not a chain (depth 1 < 2); the chain stops at 'two_callers::do_read', which is also named on line 33: it stays a function of its own rather than be copied [awaitify-callback-chain]

  tcp::socket socket_;
  char data_[64];
};

// The handler is kept in a member and handed to the timer each time: it is
// not a lambda written at the call, nor a member bound to the object.
class stored_handler {
public:
  explicit stored_handler(boost::asio::io_context &io) : timer_(io) {
    on_tick_ = [this](boost::system::error_code ec) {
      if (!ec)
        arm();
    };
  }

  void arm() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait(on_tick_);
  }
  // CHECK: asio-negative.cpp:[[@LINE-2]]:23: remark: left alone in 'stored_handler::arm': the callback of 'boost::asio::basic_waitable_timer::async_wait' is not a lambda written at the call, nor a member bound to the object (it is stored or forwarded) [awaitify-callback-chain]

private:
  boost::asio::steady_timer timer_;
  std::function<void(boost::system::error_code)> on_tick_;
};

// Two operations outstanding on one socket at once: the read handler starts
// a write and goes on (the write is not in tail position, so awaiting it
// would run `++pending_` after the write instead of before), and the write
// has its own handler. Each is a single callback.
class echo_and_count : public std::enable_shared_from_this<echo_and_count> {
public:
  void do_read() {
    auto self(shared_from_this());
    socket_.async_read_some(boost::asio::buffer(data_),
        [this, self](boost::system::error_code ec, std::size_t n) {
          if (ec)
            return;
          boost::asio::async_write(socket_, boost::asio::buffer(data_, n),
              [this, self](boost::system::error_code, std::size_t) {
                --pending_;
              });
          ++pending_;
        });
  }
  // CHECK: asio-negative.cpp:[[@LINE-11]]:5: remark: left alone in 'echo_and_count::do_read': a single callback, not a chain (depth 1 < 2) [awaitify-callback-chain]
  // CHECK: asio-negative.cpp:[[@LINE-8]]:11: remark: left alone in 'echo_and_count::do_read': the call of 'boost::asio::async_write' is not in tail position: code after it runs before its callback does, and awaiting it would change that order [awaitify-callback-chain]

private:
  tcp::socket socket_;
  char data_[64];
  int pending_ = 0;
};

// The socket is a local shared_ptr that the handlers capture: the
// coroutine would be spawned on the executor of a local. awaitify spawns
// only on the executor of a member or of a parameter of the function.
class connector {
public:
  explicit connector(boost::asio::io_context &io) : io_(io) {}

  void connect(tcp::endpoint ep) {
    auto sock = std::make_shared<tcp::socket>(io_);
    sock->async_connect(ep, [this, sock](boost::system::error_code ec) {
      if (!ec)
        boost::asio::async_write(*sock, boost::asio::buffer(hello_),
            [sock](boost::system::error_code, std::size_t) {});
    });
  }
  // CHECK: asio-negative.cpp:[[@LINE-6]]:5: remark: left alone in 'connector::connect': cannot tell, where the chain starts, which executor its handlers ran on [awaitify-callback-chain]
  // The handler on its own: a single callback.
  // CHECK: asio-negative.cpp:[[@LINE-6]]:9: remark: left alone in 'connector::connect': a single callback, not a chain (depth 1 < 2) [awaitify-callback-chain]

private:
  boost::asio::io_context &io_;
  char hello_[6] = "hello";
};
