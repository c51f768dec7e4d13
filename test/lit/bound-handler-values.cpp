// A member handler bound with values ahead of the completion's
// (`std::bind_front(&Job::onUser, shared_from_this(), tag)`; Beast's
// `bind_front_handler` is the same idiom): the bound values become locals initialised where the call was, the
// completion's values are awaited, and the handler's body is inlined (its
// definition goes away).
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES
// RUN: FileCheck %s --input-file=%t.cpp
// RUN: FileCheck %s --check-prefix=GONE --input-file=%t.cpp
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include

#include "db.h"
#include <cstdio>
#include <functional>
#include <memory>

class Job : public std::enable_shared_from_this<Job> {
public:
  explicit Job(Db &db) : db_(db) {}
  void start(int id);

private:
  void onUser(int tag, User user);
  void onGroup(Group group);
  Db &db_;
};

void Job::start(int id) {
  db_.getUser(id, std::bind_front(&Job::onUser, shared_from_this(), id * 10));
}
// CHECK-MESSAGES: :[[@LINE-2]]:3: warning: callback chain of 2 calls (depth 2) in 'Job::start'

void Job::onUser(int tag, User user) {
  std::printf("%d %s\n", tag, user.name.c_str());
  db_.getGroup(user.id, std::bind_front(&Job::onGroup, shared_from_this()));
}

void Job::onGroup(Group group) { std::printf("group %d\n", group.id); }

// The handlers owned the job one after another: the coroutine owns it from
// its start to its end.
// CHECK:      awaitify::detached Job::start(int id) {
// CHECK-NEXT:   auto self = shared_from_this();
// CHECK-NEXT:   int tag = id * 10;
// CHECK-NEXT:   User user = co_await awaitify::from_callback<User>(
// CHECK-NEXT:       [&](auto resume) { db_.getUser(id, resume); });
// CHECK-NEXT:   std::printf("%d %s\n", tag, user.name.c_str());
// CHECK-NEXT:   Group group = co_await awaitify::from_callback<Group>(
// CHECK-NEXT:       [&](auto resume) { db_.getGroup(user.id, resume); });
// CHECK-NEXT:   std::printf("group %d\n", group.id);
// CHECK-NEXT: }
// GONE-NOT: {{^ *void (Job::)?on(User|Group)}}
