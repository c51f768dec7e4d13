// Mock completion APIs for the lit tests. Every function here takes a
// callback and calls it exactly once; apis.yaml lists them. Declarations
// only: the tests never link.
#ifndef AWAITIFY_LIT_DB_H
#define AWAITIFY_LIT_DB_H

#include <functional>
#include <string>
#include <string_view>
#include <system_error>

struct User {
  int id = 0;
  std::string name;
};
struct Group {
  int id = 0;
};
struct Perms {
  bool admin = false;
};
struct Request {
  int user = 0;
  int group = 0;
};
struct Result {
  User user;
  Group group;
};

struct Db {
  void getUser(int id, std::function<void(User)> cb);
  void getGroup(int id, std::function<void(Group)> cb);
  void getPerms(const User &u, std::function<void(Perms)> cb);
  /// Two values: the user and its group.
  void getBoth(int id, std::function<void(User, Group)> cb);
  /// No value: the write is done.
  void flush(std::function<void()> cb);
  /// A const reference to a value the Db owns. May call back before it
  /// returns (a cache hit).
  void peekUser(int id, std::function<void(const User &)> cb);
  /// Takes the name by reference; may call back before it returns.
  void findByName(const std::string &name, std::function<void(User)> cb);
  /// Takes a view of the name; may call back before it returns.
  void findByView(std::string_view name, std::function<void(User)> cb);
  /// Calls its callback once per row, then stops: not a completion API.
  void forEachRow(std::function<void(int)> cb);
};

namespace net {
/// Error-first completions.
void connect(const std::string &host, std::function<void(std::error_code)> cb);
void read(int fd, std::function<void(std::error_code, std::string)> cb);
void write(int fd, std::string data, std::function<void(std::error_code)> cb);
/// Calls its callback for every message until unsubscribed: multi-shot.
void subscribe(const std::string &topic,
               std::function<void(std::string)> cb);
} // namespace net

namespace sched {
/// The callback comes first: `callback: 0` in apis.yaml.
void defer(std::function<void()> cb, int ticks);
void deferValue(std::function<void(int)> cb, int value);
} // namespace sched

/// Marked in source instead of in a rule file.
[[clang::annotate("awaitify::completion_later")]] void
annotatedFetch(int key, std::function<void(std::string)> cb);

#endif
