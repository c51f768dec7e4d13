// A callback that receives several named values becomes a structured
// binding of the tuple that co_await yields.
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

void both(Db &db, int id, std::function<void(int)> done) {
  db.getBoth(id, [&db, done](User user, Group group) {
    db.getPerms(user, [done, group](Perms p) { done(group.id + p.admin); });
  });
}
// CHECK-FIXES:      awaitify::detached both_coro(Db *db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   auto [user, group] = co_await awaitify::from_callback<User, Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getBoth(id, resume); });
// CHECK-FIXES-NEXT:   Perms p = co_await awaitify::from_callback<Perms>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getPerms(user, resume); });
// CHECK-FIXES-NEXT:   done(group.id + p.admin);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void both(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   both_coro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

// Error-first with a value: the error code and the data, both named.
void readAll(int fd, std::function<void(std::error_code, std::string)> done) {
  net::read(fd, [fd, done](std::error_code ec, std::string head) {
    net::read(fd, [done, head](std::error_code ec2, std::string tail) {
      done(ec2, head + tail);
    });
  });
}
// CHECK-FIXES:      auto [ec, head] =
// CHECK-FIXES-NEXT:     co_await awaitify::from_callback<std::error_code, std::string>(
// CHECK-FIXES-NEXT:         [&](auto resume) { net::read(fd, resume); });
// CHECK-FIXES-NEXT: auto [ec2, tail] =
// CHECK-FIXES-NEXT:     co_await awaitify::from_callback<std::error_code, std::string>(
// CHECK-FIXES-NEXT:         [&](auto resume) { net::read(fd, resume); });
// CHECK-FIXES-NEXT: done(ec2, head + tail);

} // namespace
