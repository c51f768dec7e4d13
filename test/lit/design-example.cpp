// The example of DESIGN.md: two nested callbacks become two co_awaits in a
// coroutine returning awaitify::detached, the runtime header is included,
// and the comment between the calls stays where it was. `process` has
// external linkage (other files may call it), so it keeps its signature and
// starts the coroutine: internal linkage, the Db by pointer (CP.53).
//
// RUN: cp %s %t.cpp
// RUN: %expect_exit 1 %awaitify diff --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-DIFF
// RUN: cmp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   2>%t.stderr | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning:
// RUN: FileCheck %s --check-prefix=CHECK-SUMMARY --input-file=%t.stderr
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"
// CHECK-FIXES: #include "db.h"
// CHECK-FIXES-NEXT: #include <awaitify/detached.hpp>
// CHECK-FIXES-NEXT: #include <awaitify/from_callback.hpp>

void process(Db& db, Request req, std::function<void(Result)> done) {
  db.getUser(req.user, [&db, req, done](User user) {
    // Fetch the group next.
    db.getGroup(req.group, [user, done](Group group) {
      done(Result{user, group});
    });
  });
}
// CHECK-MESSAGES: design-example.cpp.tmp.cpp:[[@LINE-7]]:3: warning: callback chain of 2 calls (depth 2) in 'process' can be rewritten with co_await (confidence: safe) [awaitify-callback-chain]
// CHECK-MESSAGES-NEXT: design-example.cpp.tmp.cpp:[[@LINE-8]]:3: note: step 1: 'Db::getUser' completes into this callback
// CHECK-MESSAGES-NEXT: design-example.cpp.tmp.cpp:[[@LINE-7]]:5: note: step 2: 'Db::getGroup' completes into this callback
// CHECK-SUMMARY: awaitify: 1 file, 1 chains found, 1 fixed, 0 left alone, 0 errors

// CHECK-FIXES:      namespace {
// CHECK-FIXES-NEXT: awaitify::detached process_coro(Db *db, Request req,
// CHECK-FIXES-NEXT:                                 std::function<void(Result)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(req.user, resume); });
// CHECK-FIXES-NEXT:   // Fetch the group next.
// CHECK-FIXES-NEXT:   Group group = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(req.group, resume); });
// CHECK-FIXES-NEXT:   done(Result{user, group});
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-NEXT: } // namespace
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void process(Db& db, Request req, std::function<void(Result)> done) {
// CHECK-FIXES-NEXT:   process_coro(&db, req, std::move(done));
// CHECK-FIXES-NEXT: }

// `diff` prints what `fix` writes, and writes nothing.
// CHECK-DIFF:      --- {{.*}}design-example.cpp.tmp.cpp
// CHECK-DIFF-NEXT: +++ {{.*}}design-example.cpp.tmp.cpp
// CHECK-DIFF:      +#include <awaitify/detached.hpp>
// CHECK-DIFF-NEXT: +#include <awaitify/from_callback.hpp>
// CHECK-DIFF:      +namespace {
// CHECK-DIFF-NEXT: +awaitify::detached process_coro(Db *db, Request req,
// CHECK-DIFF:      +  User user = co_await awaitify::from_callback<User>(
// CHECK-DIFF:      {{^}} void process(Db& db, Request req, std::function<void(Result)> done) {
// CHECK-DIFF-NEXT: -  db.getUser(req.user, [&db, req, done](User user) {
// CHECK-DIFF:      +  process_coro(&db, req, std::move(done));
// CHECK-DIFF-NEXT: {{^}} }
