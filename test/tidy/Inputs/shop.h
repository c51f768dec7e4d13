// A small deterministic world for the front-end tests: a single-threaded
// event loop that runs queued work in the order it was queued, and
// completion APIs that each call their callback exactly once, from the loop.
// A program's output depends only on its code, so the same program before
// and after a rewrite must print the same lines.
#ifndef SHOP_H
#define SHOP_H

#include <cstdio>
#include <deque>
#include <functional>
#include <string>
#include <utility>

namespace shop {

class Loop {
public:
  void post(std::function<void()> Work) { Queue.push_back(std::move(Work)); }
  /// Runs until nothing is queued, work queued while running included.
  void run() {
    while (!Queue.empty()) {
      std::function<void()> Work = std::move(Queue.front());
      Queue.pop_front();
      Work();
    }
  }

private:
  std::deque<std::function<void()>> Queue;
};

inline Loop &loop() {
  static Loop Instance;
  return Instance;
}

/// Completion APIs (shop.yaml): each calls Done once, later, from the loop.
inline void fetchPrice(std::string Item, std::function<void(int)> Done) {
  loop().post([Item, Done] { Done(static_cast<int>(Item.size()) * 100); });
}
inline void reserve(std::string Item, int Count,
                    std::function<void(bool)> Done) {
  loop().post([Item, Count, Done] { Done(Count <= 3); });
}
inline void charge(int Cents, std::function<void(std::string)> Done) {
  loop().post([Cents, Done] { Done("receipt-" + std::to_string(Cents)); });
}

/// Calls Tick N times: not a completion API, and never in the rules.
inline void every(int N, std::function<void(int)> Tick) {
  for (int I = 0; I < N; ++I)
    loop().post([I, Tick] { Tick(I); });
}

} // namespace shop

#endif
