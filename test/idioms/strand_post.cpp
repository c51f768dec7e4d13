// Strand-like serialisation through the event loop: instead of touching the
// shared account inside the completion, each step posts the update to the
// loop (`idioms::post`, a completion API that runs the job once, after the
// jobs already queued) and continues from there. Two chains interleave;
// their updates must interleave in the same order after the rewrite.
//
// EXPECT: rewrite safe
#include <string>

#include "idioms.hpp"

using idioms::trace;

struct Account {
  std::string name;
  int balance = 0;
};

void deposit(Account &account, int key) {
  io::get(key, [&account](int amount) {
    idioms::post([&account, amount] {
      account.balance += amount;
      trace(account.name, "+", amount, "=", account.balance);
      io::get(amount, [&account](int fee) {
        idioms::post([&account, fee] {
          account.balance -= fee;
          trace(account.name, "-", fee, "=", account.balance);
        });
      });
    });
  });
}

int main() {
  Account account{"savings"};
  deposit(account, 3);
  deposit(account, 8);
  idioms::run();
  trace("== end", account.balance);
  return 0;
}
