// A generic lambda (`auto` parameters) as a callback runs as the one
// specialization the API instantiates: the chain is read from it, where
// the parameters have the types the completion passes, and the values
// are declared with those types (a `from_callback<auto>` would not
// compile). One instantiated twice stays, unless the two do the same: a
// forwarding callback (`auto &&`) made for a `User &` and a `const User &`
// whose bodies call the same functions is read as the first; one whose
// bodies call different overloads is not.
// (The Asio dialect, run before and after: asio-timer-shapes.cpp.)
//
// RUN: echo 'apis:' > %t.yaml
// RUN: echo '  - name: Cache::lookup' >> %t.yaml
// RUN: echo '    completes: later' >> %t.yaml
// RUN: echo '  - name: Store::find' >> %t.yaml
// RUN: echo '    completes: later' >> %t.yaml
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --explain --no-default-rules --rules %S/Inputs/apis.yaml --rules %t.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning: --implicit-check-not=remark:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml --rules %t.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"
#include <cstdio>

void groupOf(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](auto user) {
    std::printf("user %s\n", user.name.c_str());
    db.getGroup(user.id, [done](const auto &group) { done(group.id); });
  });
}
// CHECK-MESSAGES: generic-lambdas.cpp.tmp.cpp:[[@LINE-5]]:3: warning: callback chain of 2 calls (depth 2) in 'groupOf'
// CHECK-FIXES:      awaitify::detached groupOfCoro(Db *db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getUser(id, resume); });
// CHECK-FIXES-NEXT:   std::printf("user %s\n", user.name.c_str());
// CHECK-FIXES-NEXT:   const Group group = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   done(group.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES:      void groupOf(Db &db, int id, std::function<void(int)> done) {
// CHECK-FIXES-NEXT:   groupOfCoro(&db, id, std::move(done));
// CHECK-FIXES-NEXT: }

// A generic lambda that hands its values to a member handler (Beast's
// `[self](auto ec, auto n) { self->on_read(ec, n); }`): the handler is
// inlined after the await, as from any other callback.
class Greeter {
public:
  explicit Greeter(Db *db) : db_(db) {}

  void start(int id) {
    db_->getUser(id, [this](auto user) { onUser(user); });
  }

private:
  void onUser(User user) {
    db_->getGroup(user.id, [name = user.name](auto group) {
      std::printf("%s in %d\n", name.c_str(), group.id);
    });
  }

  Db *db_;
};
// CHECK-MESSAGES: generic-lambdas.cpp.tmp.cpp:[[@LINE-12]]:5: warning: callback chain of 3 calls (depth 2) in 'Greeter::start'
// (Warnings come before remarks: flushFound's, further down.)
// CHECK-MESSAGES: generic-lambdas.cpp.tmp.cpp:{{[0-9]+}}:3: warning: callback chain of 2 calls (depth 2) in 'flushFound'
// CHECK-FIXES:      void start(int id) { start_coro(id); }
// CHECK-FIXES:      awaitify::detached start_coro(int id) {
// CHECK-FIXES-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db_->getUser(id, resume); });
// CHECK-FIXES-NEXT:   auto name = user.name;
// CHECK-FIXES-NEXT:   Group group = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db_->getGroup(user.id, resume); });
// CHECK-FIXES-NEXT:   std::printf("%s in %d\n", name.c_str(), group.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-NOT:  onUser

// Found or not, lookup() calls back with a different type: its callback
// is instantiated twice.
struct Cache {
  template <class F> void lookup(int id, F cb) {
    if (id > 0)
      cb(User{id, "cached"});
    else
      cb(id);
  }
};

void flushAfterLookup(Cache &cache, Db &db, int id) {
  cache.lookup(id, [&db](auto found) {
    db.flush([size = sizeof(found)] { std::printf("flushed %zu\n", size); });
  });
}
// CHECK-MESSAGES: generic-lambdas.cpp.tmp.cpp:[[@LINE-4]]:3: remark: left alone in 'flushAfterLookup': the callback of 'Cache::lookup' is generic (auto parameters) and instantiated 2 times, with parameter types or calls that differ: no one set of types is the one it runs with
// CHECK-MESSAGES: generic-lambdas.cpp.tmp.cpp:[[@LINE-4]]:5: remark: left alone in 'flushAfterLookup': the lambda is generic (auto parameters): awaitify rewrites one only as a callback of a chain, in the one specialization the API instantiates
// CHECK-FIXES:      cache.lookup(id, [&db](auto found) {

// Found in the cache (const) or not: find() passes its User as a
// `const User &` or a `User &`, so a forwarding callback is instantiated for
// each.
struct Store {
  template <class F> void find(int id, F cb) {
    User fresh{id, "fresh"};
    const User &cached = fresh;
    if (id > 0)
      cb(fresh);
    else
      cb(cached);
  }
};
void mark(User &u);
void mark(const User &u);

// Both specializations call the same functions: the value is a User.
void flushFound(Store &store, Db &db, int id) {
  store.find(id, [&db](auto &&user) {
    std::printf("found %s\n", user.name.c_str());
    db.flush([] { std::printf("flushed\n"); });
  });
}
// CHECK-FIXES:      User user = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:     [&](auto resume) { store->find(id, resume); });
// CHECK-FIXES-NEXT: std::printf("found %s\n", user.name.c_str());

// One calls mark(User &), the other mark(const User &): left alone.
void markFound(Store &store, Db &db, int id) {
  store.find(id, [&db](auto &&user) {
    mark(user);
    db.flush([] { std::printf("flushed\n"); });
  });
}
// CHECK-MESSAGES: generic-lambdas.cpp.tmp.cpp:[[@LINE-5]]:3: remark: left alone in 'markFound': the callback of 'Store::find' is generic (auto parameters) and instantiated 2 times, with parameter types or calls that differ: no one set of types is the one it runs with
// CHECK-MESSAGES: generic-lambdas.cpp.tmp.cpp:[[@LINE-4]]:5: remark: left alone in 'markFound': the lambda is generic (auto parameters): awaitify rewrites one only as a callback of a chain, in the one specialization the API instantiates
// CHECK-FIXES:      store.find(id, [&db](auto &&user) {
