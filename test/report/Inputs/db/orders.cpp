// Chains at each confidence: 'sure' assumes nothing (safe); 'byValue' turns
// a `const T&` parameter into a by-value one (reasonable); 'movesFromCopy'
// moves from a const copy (risky: below the default minimum, left alone).
#include "db.h"

void sure(Db &db, int id, std::function<void(int)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [done](Group g) { done(g.id); });
  });
}

void byValue(Db &db, const std::string &name,
             std::function<void(std::string)> done) {
  db.getUser(1, [&db, name, done](User user) {
    db.getGroup(user.id, [name, done](Group) { done(name); });
  });
}

void movesFromCopy(Db &db, std::string name,
                   std::function<void(std::string)> done) {
  db.getUser(1, [&db, name, done](User user) {
    db.getGroup(user.id, [name, done](Group) { done(std::move(name)); });
  });
}

// Three calls deep.
void three(Db &db, int id, std::function<void(bool)> done) {
  db.getUser(id, [&db, done](User user) {
    db.getGroup(user.id, [&db, user, done](Group) {
      db.getPerms(user, [done](Perms p) { done(p.admin); });
    });
  });
}
