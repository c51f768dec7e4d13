// With no .clang-format, the rewrite is laid out in the style the file is
// written in, not in the LLVM fallback: here braces on lines of their own
// (Allman) and four-space indents. The test pins both: the coroutine's
// function brace, the early exits' braces and every line's indentation.
// (A .clang-format in a folder above the test's output would win, as it
// does for any file: docs/guide.md.)
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES --strict-whitespace
// RUN: %clangxx -I%S/Inputs %t.cpp
//
// An explicit --fallback-style wins over the file's own style.
// RUN: cp %s %t.llvm.cpp
// RUN: %awaitify fix --fallback-style=LLVM --no-default-rules --rules %S/Inputs/apis.yaml %t.llvm.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include
// RUN: grep -v '^// [A-Z-]*:' %t.llvm.cpp | FileCheck %s --check-prefix=CHECK-LLVM --strict-whitespace

#include "db.h"

namespace
{

struct Stats
{
    int sent = 0;
    int failed = 0;

    void count(std::error_code ec)
    {
        if (ec)
        {
            ++failed;
        }
        else
        {
            ++sent;
        }
    }
};

void fail(std::error_code ec);
void report(std::error_code ec);

void echo(int fd, std::function<void(std::error_code)> done)
{
    net::connect("example.org", [fd, done](std::error_code ec)
    {
        if (ec)
        {
            fail(ec);
            return;
        }
        net::read(fd, [fd, done](std::error_code ec, std::string data)
        {
            if (ec)
            {
                done(ec);
                return;
            }
            net::write(fd, data, [done](std::error_code ec)
            {
                report(ec);
                done(ec);
            });
        });
    });
}
// CHECK-MESSAGES: :[[@LINE-22]]:5: warning: callback chain of 3 calls (depth 3) in 'echo' can be rewritten with co_await (confidence: safe)

// CHECK-FIXES:      {{^}}awaitify::detached echo(int fd, std::function<void(std::error_code)> done){{$}}
// CHECK-FIXES-NEXT: {{^[{]$}}
// CHECK-FIXES-NEXT: {{^}}    std::error_code ec = co_await awaitify::from_callback<std::error_code>({{$}}
// CHECK-FIXES-NEXT: {{^}}        [&](auto resume) { net::connect("example.org", resume); });{{$}}
// CHECK-FIXES-NEXT: {{^}}    if (ec){{$}}
// CHECK-FIXES-NEXT: {{^}}    {{[{]$}}
// CHECK-FIXES-NEXT: {{^}}        fail(ec);{{$}}
// CHECK-FIXES-NEXT: {{^}}        co_return;{{$}}
// CHECK-FIXES-NEXT: {{^}}    {{[}]$}}
// CHECK-FIXES-NEXT: {{^}}    auto [ec2, data] ={{$}}
// CHECK-FIXES-NEXT: {{^}}        co_await awaitify::from_callback<std::error_code, std::string>({{$}}
// CHECK-FIXES-NEXT: {{^}}            [&](auto resume) { net::read(fd, resume); });{{$}}
// CHECK-FIXES-NEXT: {{^}}    if (ec2){{$}}
// CHECK-FIXES-NEXT: {{^}}    {{[{]$}}
// CHECK-FIXES-NEXT: {{^}}        done(ec2);{{$}}
// CHECK-FIXES-NEXT: {{^}}        co_return;{{$}}
// CHECK-FIXES-NEXT: {{^}}    {{[}]$}}
// CHECK-FIXES-NEXT: {{^}}    std::error_code ec3 = co_await awaitify::from_callback<std::error_code>({{$}}
// CHECK-FIXES-NEXT: {{^}}        [&](auto resume) { net::write(fd, data, resume); });{{$}}
// CHECK-FIXES-NEXT: {{^}}    report(ec3);{{$}}
// CHECK-FIXES-NEXT: {{^}}    done(ec3);{{$}}
// CHECK-FIXES-NEXT: {{^[}]$}}

// CHECK-LLVM:      {{^}}awaitify::detached echo(int fd, std::function<void(std::error_code)> done) {{[{]$}}
// CHECK-LLVM-NEXT: {{^}}  std::error_code ec = co_await awaitify::from_callback<std::error_code>({{$}}
// CHECK-LLVM-NEXT: {{^}}      [&](auto resume) { net::connect("example.org", resume); });{{$}}
// CHECK-LLVM-NEXT: {{^}}  if (ec) {{[{]$}}

} // namespace
