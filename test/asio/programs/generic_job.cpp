// Callback code that owes nothing to Asio: a tiny single-threaded event
// loop, a service with a callback API of its own, and jobs whose step(i)
// fetches item i and calls step(i + 1) from the callback. Two jobs run
// interleaved on the same loop with a background chore, so the order of the
// log is the order in which the loop ran things.

#include <cstdio>
#include <deque>
#include <functional>
#include <string>
#include <utility>

// Runs posted functions in order until there are none left.
class EventLoop {
public:
  void post(std::function<void()> f) { queue_.push_back(std::move(f)); }

  void run() {
    for (int budget = 10000; budget > 0 && !queue_.empty(); --budget) {
      auto f = std::move(queue_.front());
      queue_.pop_front();
      f();
    }
  }

private:
  std::deque<std::function<void()>> queue_;
};

// A service whose answers arrive later, on the loop.
class Api {
public:
  explicit Api(EventLoop& loop) : loop_(loop) {}

  void fetch(int key, std::function<void(int)> done) {
    loop_.post([key, done = std::move(done)] { done(key * key + 1); });
  }

  void store(std::string name, int value, std::function<void(bool)> done) {
    loop_.post([name = std::move(name), value, done = std::move(done)] {
      std::printf("  stored %s = %d\n", name.c_str(), value);
      done(value % 2 == 0);
    });
  }

private:
  EventLoop& loop_;
};

class Job {
public:
  Job(Api& api, std::string name, int n) : api_(api), name_(std::move(name)), n_(n) {}

  void start() {
    std::printf("%s: start\n", name_.c_str());
    step(0);
  }

private:
  void step(int i) {
    if (i == n_)
      return finish();
    api_.fetch(i, [this, i](int v) {
      total_ += v;
      std::printf("%s: item %d is %d\n", name_.c_str(), i, v);
      step(i + 1);
    });
  }

  void finish() {
    api_.store(name_, total_, [this](bool even) {
      std::printf("%s: total %d (%s)\n", name_.c_str(), total_, even ? "even" : "odd");
    });
  }

  Api& api_;
  std::string name_;
  int n_;
  int total_ = 0;
};

// Something else the loop does meanwhile.
void chore(EventLoop& loop, int left) {
  if (left == 0)
    return;
  std::printf("chore %d\n", left);
  loop.post([&loop, left] { chore(loop, left - 1); });
}

int main() {
  EventLoop loop;
  Api api(loop);
  Job a(api, "a", 4);
  Job b(api, "b", 2);
  a.start();
  chore(loop, 3);
  b.start();
  loop.run();
  std::printf("loop done\n");
  return 0;
}
