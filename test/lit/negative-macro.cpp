// Calls and callbacks spelled by macros are left alone: an edit would have
// to rewrite the macro, or its expansion, for every other use. The file
// does not change, and --explain says why.
//
// RUN: %awaitify check --explain --no-default-rules --rules %S/Inputs/apis.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not=warning:
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0
// RUN: cmp %s %t.cpp

#include "db.h"

// The first call of the chain is a macro.
#define GET_USER(db, id, ...) (db).getUser((id), __VA_ARGS__)
void macroCall(Db &db, int id, std::function<void(int)> done) {
  GET_USER(db, id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
// CHECK: negative-macro.cpp:[[@LINE-4]]:3: remark: left alone in 'macroCall': {{.*}}macro

// The callback is a macro.
#define THEN_GROUP(db, done)                                                   \
  [&db, done](User user) {                                                     \
    db.getGroup(user.id, [done](Group g) { done(g.id); });                     \
  }
void macroCallback(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, THEN_GROUP(db, done));
}
// CHECK: negative-macro.cpp:[[@LINE-2]]:3: remark: left alone in 'macroCallback': {{.*}}macro
