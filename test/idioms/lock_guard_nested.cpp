// A std::lock_guard in a continuation, held around the nested call. In the
// callback version the mutex is unlocked when the callback returns, long
// before the next step runs (and locks it again). A coroutine would still
// hold the lock across the suspension: the next step, or another chain,
// would deadlock. Left alone; the reason says the lock would stay locked.
//
// EXPECT: left-alone locked
#include <map>
#include <mutex>

#include "idioms.hpp"

using idioms::trace;

std::mutex registry_mutex;
std::map<int, int> registry;

void record(int key) {
  io::get(key, [key](int a) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    registry[key] = a;
    trace("record", key, "stored", a);
    io::get(a, [key](int b) {
      std::lock_guard<std::mutex> lock(registry_mutex);
      registry[key] += b;
      trace("record", key, "now", registry[key]);
    });
  });
}

int main() {
  record(3);
  record(4);
  idioms::run();
  trace("== end", registry.size());
  return 0;
}
