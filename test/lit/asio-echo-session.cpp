// An Asio echo session in the style of Asio's callback example: start()
// calls do_read, whose handler calls do_write, whose handler calls do_read
// again. start() keeps its signature and spawns the private member coroutine
// start_coro() through `[self = shared_from_this()]` (the self keeper), with
// the file's `rethrow` as completion: do_read, the head of the cycle, is
// inlined as a `for (;;)` whose body's end is the back edge; do_write (used
// once) is inlined; both definitions go. `if (!ec) ... else fail` becomes the
// early exit `if (ec) { fail; co_return; }`; the handlers' comments survive.
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE -include utility
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --min-confidence=risky --no-project-rules %t.cpp -- %{flags} \
// RUN:   2>%t.stderr | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: FileCheck %s --check-prefix=CHECK-SUMMARY --input-file=%t.stderr
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx %{flags} %t.cpp
// RUN: %awaitify check --min-confidence=risky --no-project-rules %t.cpp -- %{flags} | count 0

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <cstddef>
#include <memory>
#include <utility>

using boost::asio::ip::tcp;

void report(const char *what);

class session : public std::enable_shared_from_this<session> {
public:
  explicit session(tcp::socket socket) : socket_(std::move(socket)) {}

  void start() { do_read(); }

private:
  void do_read() {
    auto self(shared_from_this());
    socket_.async_read_some(boost::asio::buffer(data_, max_length),
        [this, self](boost::system::error_code ec, std::size_t length) {
          if (!ec) {
            // Echo what came in.
            do_write(length);
          } else {
            report("read failed");
          }
        });
  }

  void do_write(std::size_t length) {
    auto self(shared_from_this());
    boost::asio::async_write(socket_, boost::asio::buffer(data_, length),
        [this, self](boost::system::error_code ec, std::size_t n) {
          if (!ec) {
            total_ += n; // count it
            do_read();
          } else {
            report("write failed");
          }
        });
  }

  tcp::socket socket_;
  enum { max_length = 1024 };
  char data_[max_length];
  std::size_t total_ = 0;
};

// CHECK-MESSAGES: asio-echo-session.cpp.tmp.cpp:34:18: warning: callback chain of 5 calls (depth 2) in 'session::start' can be rewritten with co_await (confidence: risky) [awaitify-callback-chain]
// CHECK-MESSAGES-NEXT: :34:18: note: step 1: 'session::do_read' completes into this callback
// CHECK-MESSAGES-NEXT: :39:5: note: step 2: 'boost::asio::basic_stream_socket::async_read_some' completes into this callback
// CHECK-MESSAGES-NEXT: :43:13: note: step 3: 'session::do_write' completes into this callback
// CHECK-MESSAGES-NEXT: :52:5: note: step 4: 'boost::asio::async_write' completes into this callback
// CHECK-MESSAGES-NEXT: :56:13: note: step 5: 'session::do_read' completes into this callback
// CHECK-MESSAGES-NEXT: :34:18: note: assumes: with Boost {{[0-9.]+}}, co_spawn posts the coroutine: its first operation would start on a later turn of the executor, after work already queued there, not inside the call as before (Asio 1.22 and Boost 1.78 dispatch it)
// CHECK-SUMMARY: awaitify: 1 file, 1 chains found, 1 fixed, 0 left alone, 0 errors

// The Asio headers the coroutine needs come after the file's own, which
// keep their order; Boost 1.74's awaitable.hpp needs <utility> ahead of it
// (this file includes it only later), so it goes before the file's first
// Asio include, which may include awaitable.hpp itself.
// CHECK-FIXES:      #include <utility>
// CHECK-FIXES-NEXT: #include <boost/asio/buffer.hpp>
// CHECK-FIXES-NEXT: #include <boost/asio/ip/tcp.hpp>
// CHECK-FIXES-NEXT: #include <boost/asio/write.hpp>
// CHECK-FIXES-NEXT: #include <boost/asio/co_spawn.hpp>
// CHECK-FIXES-NEXT: #include <boost/asio/redirect_error.hpp>
// CHECK-FIXES-NEXT: #include <boost/asio/use_awaitable.hpp>
// CHECK-FIXES-NEXT: #include <cstddef>
// CHECK-FIXES-NEXT: #include <exception>

// The completion of co_spawn, `rethrow`, is defined once, after the
// includes and before the file's first declaration.
// CHECK-FIXES:      #include <utility>
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: namespace {
// CHECK-FIXES-NEXT: // The completion of co_spawn: an exception that escapes a coroutine
// CHECK-FIXES-NEXT: // is rethrown out of the executor's run(), as one escaping a
// CHECK-FIXES-NEXT: // handler was.
// CHECK-FIXES-NEXT: constexpr auto rethrow = [](std::exception_ptr e) {
// CHECK-FIXES-NEXT:   if (e)
// CHECK-FIXES-NEXT:     std::rethrow_exception(e);
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-NEXT: } // namespace
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: using boost::asio::ip::tcp;

// CHECK-FIXES:      void start() {
// CHECK-FIXES-NEXT:   boost::asio::co_spawn(
// CHECK-FIXES-NEXT:       socket_.get_executor(),
// CHECK-FIXES-NEXT:       [self = shared_from_this()] { return self->start_coro(); }, rethrow);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   boost::asio::awaitable<void> start_coro() {
// CHECK-FIXES-NEXT:     for (;;) {
// CHECK-FIXES-NEXT:       boost::system::error_code ec;
// CHECK-FIXES-NEXT:       std::size_t length = co_await socket_.async_read_some(
// CHECK-FIXES-NEXT:           boost::asio::buffer(data_, max_length),
// CHECK-FIXES-NEXT:           boost::asio::redirect_error(boost::asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec) {
// CHECK-FIXES-NEXT:         report("read failed");
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       // Echo what came in.
// CHECK-FIXES-NEXT:       std::size_t n = co_await boost::asio::async_write(
// CHECK-FIXES-NEXT:           socket_, boost::asio::buffer(data_, length),
// CHECK-FIXES-NEXT:           boost::asio::redirect_error(boost::asio::use_awaitable, ec));
// CHECK-FIXES-NEXT:       if (ec) {
// CHECK-FIXES-NEXT:         report("write failed");
// CHECK-FIXES-NEXT:         co_return;
// CHECK-FIXES-NEXT:       }
// CHECK-FIXES-NEXT:       total_ += n; // count it
// CHECK-FIXES-NEXT:     }
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT:   tcp::socket socket_;
// Both handlers are inlined above and their definitions are gone.
// CHECK-FIXES-NOT:  do_read
// CHECK-FIXES-NOT:  do_write
