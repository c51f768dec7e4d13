// A tiny callback-style "shop" backend: every operation completes later, on a
// single-threaded event loop, by calling its callback exactly once.
#pragma once
#include <deque>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

namespace shop {

class Loop {
public:
  void post(std::function<void()> Work) { Queue.push_back(std::move(Work)); }
  void run() {
    while (!Queue.empty()) {
      auto Work = std::move(Queue.front());
      Queue.pop_front();
      Work();
    }
  }

private:
  std::deque<std::function<void()>> Queue;
};

inline Loop &loop() {
  static Loop L;
  return L;
}

struct User {
  int id;
  std::string name;
};
struct Cart {
  std::vector<int> prices;
  int total() const {
    int T = 0;
    for (int P : prices)
      T += P;
    return T;
  }
};

class Db {
public:
  void getUser(int id, std::function<void(User)> cb) {
    loop().post([id, cb] { cb(User{id, "user" + std::to_string(id)}); });
  }
  void getCart(int userId, std::function<void(Cart)> cb) {
    loop().post([userId, cb] { cb(Cart{{userId * 10, 5}}); });
  }
};

class Payments {
public:
  // Error-first: declines amounts over 100.
  void charge(const User &u, int amount,
              std::function<void(std::error_code, std::string)> cb) {
    loop().post([u, amount, cb] {
      if (amount > 100)
        cb(std::make_error_code(std::errc::permission_denied), "");
      else
        cb({}, "receipt-" + std::to_string(u.id) + "-" + std::to_string(amount));
    });
  }
};

class Mailer {
public:
  void send(std::string to, std::string text, std::function<void()> cb) {
    loop().post([to, text, cb] {
      std::cout << "mail to " << to << ": " << text << "\n";
      cb();
    });
  }
};

struct Services {
  Db db;
  Payments payments;
  Mailer mailer;
};

// A session (see checkout.cpp) object that keeps itself alive while its callbacks run.
class Session : public std::enable_shared_from_this<Session> {
public:
  explicit Session(Services &s) : S(s) {}
  void greet(int userId);

private:
  Services &S;
  int Greeted = 0;
};

void checkout(Services &s, int userId, std::function<void(bool)> done);
void audit(Services &s, int userId);

} // namespace shop
