// A callback that receives nothing becomes a bare `co_await ...;`, with no
// template arguments; a lambda without a parameter list counts too.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"

// Internal linkage, but a function that takes its Db by reference, which a
// coroutine must not (CP.53), keeps its signature and starts a coroutine of
// its own, defined just above it, that takes a Db *.
namespace {

void flushTwice(Db &db, std::function<void()> done) {
  db.flush([&db, done]() {
    db.flush([done] { done(); });
  });
}
// CHECK-FIXES:      awaitify::detached flushTwiceCoro(Db *db, std::function<void()> done) {
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback([&](auto resume) { db->flush(resume); });
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback([&](auto resume) { db->flush(resume); });
// CHECK-FIXES-NEXT:   done();
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void flushTwice(Db &db, std::function<void()> done) {
// CHECK-FIXES-NEXT:   flushTwiceCoro(&db, std::move(done));
// CHECK-FIXES-NEXT: }

void flushThenRead(Db &db, int id, std::function<void(int)> done) {
  db.flush([&db, id, done] {
    db.getUser(id, [done](User user) { done(user.id); });
  });
}
// CHECK-FIXES:      awaitify::detached flushThenReadCoro(Db *db, int id,
// CHECK-FIXES-NEXT:                                      std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback([&](auto resume) { db->flush(resume); });
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   done(user.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void flushThenRead(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   flushThenReadCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
