// Checkout, written the way callback code usually is: each step nests the
// next one inside its callback.
#include "shop.hpp"

namespace shop {

// The pyramid: user -> cart -> charge -> mail.
void checkout(Services &s, int userId, std::function<void(bool)> done) {
  s.db.getUser(userId, [&s, done](User user) {
    s.db.getCart(user.id, [&s, user, done](Cart cart) {
      s.payments.charge(user, cart.total(),
                        [&s, user, done](std::error_code ec, std::string receipt) {
        if (ec) {
          // Declined: tell the caller and stop here.
          done(false);
          return;
        }
        s.mailer.send(user.name, "paid: " + receipt, [done] { done(true); });
      });
    });
  });
}

void Session::greet(int userId) {
  S.db.getUser(userId, [this, self = shared_from_this()](User user) {
    S.mailer.send(user.name, "welcome", [this, self] {
      ++Greeted;
      std::cout << "greeted " << Greeted << "\n";
    });
  });
}

// Not a chain awaitify rewrites: code runs after the call, before its callback.
void audit(Services &s, int userId) {
  s.db.getUser(userId, [](User user) {
    std::cout << "audited " << user.name << "\n";
  });
  std::cout << "audit requested\n";
}

} // namespace shop
