// A class whose methods run callback chains on `this` (member-function.cpp,
// init-capture.cpp). The tests copy it next to the source: the rewrite
// changes the declarations here too.
#ifndef AWAITIFY_LIT_SESSION_H
#define AWAITIFY_LIT_SESSION_H

#include "db.h"
#include <memory>

class Session : public std::enable_shared_from_this<Session> {
public:
  // Defined out of line, in the .cpp.
  void start(int id);
  void owned(int id);
  void ownedEachLevel(int id);
  void ownedOuterOnly(int id);

  // Defined in the class.
  void inClass(int id) {
    db.getUser(id, [this](User user) {
      db.getGroup(user.id, [this, user](Group group) { record(user, group); });
    });
  }

private:
  void record(const User &, const Group &);
  Db db;
};

#endif
