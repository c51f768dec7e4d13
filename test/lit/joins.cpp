// A handler that several tail calls of one block call, and nothing else,
// is written once after the branch (the generic dialect; the Asio one and
// the programs that run are in asio-joins.cpp and the idiom corpus).
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --explain --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not=warning: --implicit-check-not=remark:
// RUN: grep -v '^// [A-Z-]*:' %t.cpp | FileCheck %s --check-prefix=CHECK-FIXES
// RUN: %clangxx -I%S/Inputs %t.cpp
// RUN: %awaitify check --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "db.h"
#include <cstdio>
#include <string>

namespace {
class Report {
public:
  explicit Report(Db *db) : db_(db) {}

  // An unbraced early call, then an if/else whose arms both call: the
  // calls assign `label` and `id`, then the handler's code follows.
  void start(int id) {
    db_->getUser(id, [this](User u) {
      if (u.id < 0)
        return show(0, "nobody");
      if (u.name.empty()) {
        show(u.id, "anonymous");
      } else {
        std::printf("found %s\n", u.name.c_str());
        show(u.id, u.name);
      }
    });
  }

private:
  void show(int id, const std::string &label) {
    db_->getGroup(id, [label](Group g) {
      std::printf("%s in group %d\n", label.c_str(), g.id);
    });
  }

  Db *db_;
};
// CHECK-MESSAGES: joins.cpp.tmp.cpp:25:5: warning: callback chain of 5 calls (depth 2) in 'Report::start' can be rewritten with co_await (confidence: safe)
// CHECK-MESSAGES: note: 'id' renamed to 'id2'
// CHECK-MESSAGES: joins.cpp.tmp.cpp:{{[0-9]+}}:5: warning: callback chain of 4 calls (depth 2) in 'Closer::start' can be rewritten with co_await (confidence: safe)

// CHECK-FIXES:      awaitify::detached start(int id) {
// CHECK-FIXES-NEXT:   User u = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db_->getUser(id, resume); });
// CHECK-FIXES-NEXT:   int id2{};
// CHECK-FIXES-NEXT:   std::string label;
// CHECK-FIXES-NEXT:   if (u.id < 0) {
// CHECK-FIXES-NEXT:     id2 = 0;
// CHECK-FIXES-NEXT:     label = "nobody";
// CHECK-FIXES-NEXT:   } else if (u.name.empty()) {
// CHECK-FIXES-NEXT:     id2 = u.id;
// CHECK-FIXES-NEXT:     label = "anonymous";
// CHECK-FIXES-NEXT:   } else {
// CHECK-FIXES-NEXT:     std::printf("found %s\n", u.name.c_str());
// CHECK-FIXES-NEXT:     id2 = u.id;
// CHECK-FIXES-NEXT:     label = u.name;
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   Group g = co_await awaitify::from_callback<Group>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db_->getGroup(id2, resume); });
// CHECK-FIXES-NEXT:   std::printf("%s in group %d\n", label.c_str(), g.id);
// CHECK-FIXES-NEXT: }
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: private:
// CHECK-FIXES-NEXT:   Db *db_;
// CHECK-FIXES-NEXT: };

// A parameter whose type has no default constructor cannot be declared
// before the calls assign it: show() stays a function, and each half is a
// single callback.
struct Tag {
  explicit Tag(int v) : value(v) {}
  int value;
};

class Tagger {
public:
  explicit Tagger(Db *db) : db_(db) {}

  void start(int id) {
    db_->getUser(id, [this](User u) {
      if (u.id < 0)
        return show(Tag(0));
      show(Tag(u.id));
    });
  }

private:
  void show(Tag t) {
    db_->getGroup(t.value, [](Group g) { std::printf("group %d\n", g.id); });
  }

  Db *db_;
};
// CHECK-MESSAGES: joins.cpp.tmp.cpp:[[@LINE-14]]:5: remark: left alone in 'Tagger::start': a single callback, not a chain (depth 1 < 2); the chain stops at 'Tagger::show', which is also named on line [[@LINE-11]]: it stays a function of its own rather than be copied (its calls cannot meet after the branch: its parameter 't' cannot be declared before the calls assign it)
// CHECK-MESSAGES: joins.cpp.tmp.cpp:[[@LINE-6]]:5: remark: left alone in 'Tagger::show': a single callback, not a chain (depth 1 < 2)
// A parameter whose default constructor is the program's own code (it
// prints) would run it where the original did not: show() stays a
// function.
struct Badge {
  Badge() { std::printf("blank badge\n"); }
  explicit Badge(int v) : value(v) {}
  int value = 0;
};

class Badger {
public:
  explicit Badger(Db *db) : db_(db) {}

  void start(int id) {
    db_->getUser(id, [this](User u) {
      if (u.id < 0)
        return show(Badge());
      show(Badge(u.id));
    });
  }

private:
  void show(Badge b) {
    db_->getGroup(b.value, [](Group g) { std::printf("group %d\n", g.id); });
  }

  Db *db_;
};
// CHECK-MESSAGES: joins.cpp.tmp.cpp:[[@LINE-14]]:5: remark: left alone in 'Badger::start': a single callback, not a chain (depth 1 < 2); the chain stops at 'Badger::show', which is also named on line [[@LINE-11]]: it stays a function of its own rather than be copied (its calls cannot meet after the branch: its parameter 'b' (Badge) would be default-constructed and then assigned, not constructed from its value: its own code would run)
// CHECK-MESSAGES: joins.cpp.tmp.cpp:[[@LINE-6]]:5: remark: left alone in 'Badger::show': a single callback, not a chain (depth 1 < 2)
// The early call assigns nothing (done() takes nothing) and is its arm's
// only statement: the if is negated and what follows it is its arm.
class Closer {
public:
  explicit Closer(Db *db) : db_(db) {}

  void start(int id) {
    db_->getUser(id, [this](User u) {
      if (u.id < 0)
        return done();
      std::printf("closing %s\n", u.name.c_str());
      done();
    });
  }

private:
  void done() {
    db_->flush([] { std::printf("flushed\n"); });
  }

  Db *db_;
};

// CHECK-FIXES:      awaitify::detached start(int id) {
// CHECK-FIXES-NEXT:   User u = co_await awaitify::from_callback<User>(
// CHECK-FIXES-NEXT:       [&](auto resume) { db_->getUser(id, resume); });
// CHECK-FIXES-NEXT:   if (u.id >= 0) {
// CHECK-FIXES-NEXT:     std::printf("closing %s\n", u.name.c_str());
// CHECK-FIXES-NEXT:   }
// CHECK-FIXES-NEXT:   co_await awaitify::from_callback([&](auto resume) { db_->flush(resume); });
// CHECK-FIXES-NEXT:   std::printf("flushed\n");
// CHECK-FIXES-NEXT: }

} // namespace
