// An Asio echo session laid out as Asio's own examples are: braces on lines
// of their own (Allman), two-space indents, handlers on a continuation line.
// There is no .clang-format, so the coroutine is laid out in the file's
// style, not in the LLVM fallback: every brace the rewrite writes for a
// function, a loop or an `if` is on a line of its own, at the indentation
// of what it opens, and the body is one level (two spaces) in.
// (A .clang-format in a folder above the test's output would win, as it
// does for any file: docs/guide.md.)
//
// DEFINE: %{flags} = -std=c++20 -DBOOST_ASIO_HAS_CO_AWAIT -DBOOST_ASIO_HAS_STD_COROUTINE -include utility
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --min-confidence=risky --no-project-rules %t.cpp -- %{flags} \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES --strict-whitespace
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-WRAPPED
// RUN: %clangxx %{flags} %t.cpp

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <cstddef>
#include <memory>
#include <utility>

using boost::asio::ip::tcp;

void report(const char *what);

class session
  : public std::enable_shared_from_this<session>
{
public:
  session(tcp::socket socket)
    : socket_(std::move(socket))
  {
  }

  void start()
  {
    do_read();
  }

private:
  void do_read()
  {
    auto self(shared_from_this());
    socket_.async_read_some(boost::asio::buffer(data_, max_length),
        [this, self](boost::system::error_code ec, std::size_t length)
        {
          if (!ec)
          {
            do_write(length);
          }
          else
          {
            report("read failed");
          }
        });
  }

  void do_write(std::size_t length)
  {
    auto self(shared_from_this());
    boost::asio::async_write(socket_, boost::asio::buffer(data_, length),
        [this, self](boost::system::error_code ec, std::size_t)
        {
          if (!ec)
          {
            do_read();
          }
          else
          {
            report("write failed");
          }
        });
  }

  tcp::socket socket_;
  enum { max_length = 1024 };
  char data_[max_length];
};

// CHECK-MESSAGES: warning: callback chain of 5 calls (depth 2) in 'session::start' can be rewritten with co_await

// The includes the file has keep their order.
// CHECK-FIXES:      #include <boost/asio/buffer.hpp>
// CHECK-FIXES-NEXT: #include <boost/asio/ip/tcp.hpp>
// CHECK-FIXES-NEXT: #include <boost/asio/write.hpp>
// CHECK-FIXES:      #include <cstddef>
// CHECK-FIXES:      #include <memory>
// CHECK-FIXES-NEXT: #include <utility>

// CHECK-FIXES:      {{^}}  void start(){{$}}
// CHECK-FIXES-NEXT: {{^}}  {{[{]$}}
// CHECK-FIXES-NEXT: {{^}}    boost::asio::co_spawn(

// Where the loop is (in a lambda or a function of its own), its braces are
// on lines of their own and its body is one level in.
// CHECK-FIXES:      {{^}}[[FOR:[ ]+]]for (;;){{$}}
// CHECK-FIXES-NEXT: {{^}}[[FOR]]{{[{]$}}
// CHECK-FIXES-NEXT: {{^}}[[FOR]]  boost::system::error_code ec;{{$}}
// CHECK-FIXES-NEXT: {{^}}[[FOR]]  std::size_t length = co_await socket_.async_read_some({{$}}
// CHECK-FIXES-NEXT: {{^}}[[FOR]]      boost::asio::buffer(data_, max_length),{{$}}
// CHECK-FIXES-NEXT: {{^}}[[FOR]]      boost::asio::{{.*}}));{{$}}
// CHECK-FIXES-NEXT: {{^}}[[FOR]]  if ({{!?}}ec){{$}}
// CHECK-FIXES-NEXT: {{^}}[[FOR]]  {{[{]$}}
// CHECK-FIXES-NEXT: {{^}}[[FOR]]    {{[^ ].*}};{{$}}
// CHECK-FIXES:      {{^}}[[FOR]]  {{[}]$}}
// CHECK-FIXES:      {{^}}[[FOR]]{{[}]$}}
// CHECK-FIXES:      {{^}}  tcp::socket socket_;{{$}}

// No line of the file, rewritten or not, ends in an attached brace.
// CHECK-WRAPPED-NOT: {{[^ ].* [{]$}}
