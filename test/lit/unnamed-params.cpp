// Unnamed callback parameters bind nothing: all unnamed gives a bare
// co_await with the types still spelled; exactly one of several named takes
// its element with std::get; a `const T&` parameter becomes a `const T`
// copy (the referent belongs to the API).
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

void allUnnamed(Db &db, int id, std::function<void()> done) {
  db.getUser(id, [&db, id, done](User) {
    db.getBoth(id, [done](User, Group) { done(); });
  });
}
// CHECK-FIXES:      awaitify::detached allUnnamedCoro(Db *db, int id, std::function<void()> done) {
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback<User, Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getBoth(id, resume); });
// CHECK-FIXES-NEXT:   done();
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void allUnnamed(Db &db, int id, std::function<void()> done) {
// CHECK-FIXES-NEXT:   allUnnamedCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

void oneOfTwo(Db &db, int id, std::function<void(int)> done) {
  db.getBoth(id, [&db, done](User, Group group) {
    db.getGroup(group.id, [done](Group g) { done(g.id); });
  });
}
// CHECK-FIXES:      awaitify::detached oneOfTwoCoro(Db *db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   Group group = std::get<1>(co_await awaitify::from_callback<User, Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getBoth(id, resume); }));
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(group.id, resume); });
// CHECK-FIXES-NEXT:   done(g.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void oneOfTwo(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   oneOfTwoCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

void constRef(Db &db, int id, std::function<void(std::string)> done) {
  db.peekUser(id, [&db, done](const User &user) {
    db.getGroup(user.id, [done, user](Group) { done(user.name); });
  });
}
// CHECK-FIXES:      awaitify::detached constRefCoro(Db *db, int id,
// CHECK-FIXES-NEXT:                                 std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   const User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->peekUser(id, resume); });
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(user.name);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: void constRef(Db &db, int id, std::function<void(std::string)> done) {
// CHECK-FIXES-NEXT:   constRefCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

} // namespace
