// Templates are left alone (the callees and awaited types are only known
// per instantiation), and --explain names that reason, not a symptom of it.
// (Generic lambdas: generic-lambdas.cpp.)
//
// RUN: %awaitify check --explain --no-default-rules --rules %S/Inputs/apis.yaml %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --implicit-check-not=warning: --implicit-check-not='returns a value'
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-default-rules --rules %S/Inputs/apis.yaml %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0
// RUN: cmp %s %t.cpp

#include "db.h"

template <class Done>
void templ(Db &db, int id, Done done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}
inline void useTempl(Db &db) { templ(db, 1, [](int) {}); }
// CHECK: negative-templates.cpp:[[@LINE-5]]:3: remark: left alone in 'templ': the function is a template

