//===- sim.hpp - A small deterministic world for end-to-end programs ------===//
//
// The generated programs of the end-to-end corpus (gen_chains.py) and the
// hand-written design example run against this header. It knows nothing of
// awaitify: the same program is compiled once as written (callbacks) and once
// after `awaitify fix` (coroutines), and both must print the same trace.
//
// Terms:
//   loop        a single-threaded event loop with a virtual clock. `post`
//               queues work for the current tick, `post_after(n, f)` for n
//               ticks later; work of one tick runs in the order it was
//               queued. Nothing depends on real time, threads or addresses.
//   trace       one line of program output. Every line is printed at once
//               (and flushed), so a crash still shows how far a program got.
//   completion  an API below that takes a callback last and calls it exactly
//               once, as its last action -- except `fetch_logged`, which
//               traces after its callback returns: a rewrite must run the
//               continuation inside that call, as the callback ran, for the
//               line to come where it did.
//   loop errors an exception that leaves a handler run by the loop is traced
//               ("loop caught ...") and the loop goes on, as event loops that
//               log a handler's failure do: a rewrite must let an exception
//               thrown in a continuation leave the completion call as before.
//   guard       `Guard` traces when its last copy dies: a callback's copy
//               dies with the callback, which a rewrite must keep (or leave
//               the chain alone).
//
// The exactly-once APIs are listed in sim.yaml. `subscribe` (calls its
// callback n times) is deliberately not: a rewrite must leave it alone.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_E2E_SIM_HPP
#define AWAITIFY_E2E_SIM_HPP

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace sim {

// ---------------------------------------------------------------- loop ----

class Loop {
public:
  /// Queues `f` to run on the current tick, after everything already queued.
  void post(std::function<void()> f) { post_after(0, std::move(f)); }

  /// Queues `f` to run `ticks` ticks from now.
  void post_after(int ticks, std::function<void()> f) {
    queue_[now_ + (ticks < 0 ? 0 : ticks)].push_back(std::move(f));
  }

  /// Runs until nothing is queued. Work queued while running is run too.
  void run() {
    while (!queue_.empty()) {
      auto it = queue_.begin();
      now_ = it->first;
      if (it->second.empty()) {
        queue_.erase(it);
        continue;
      }
      std::function<void()> f = std::move(it->second.front());
      it->second.erase(it->second.begin());
      try {
        f();
      } catch (const std::exception &e) {
        trace_caught(e.what());
      }
    }
  }

  long now() const { return now_; }

private:
  static void trace_caught(const char *what);

  long now_ = 0;
  // Ordered by tick; each tick is FIFO.
  std::map<long, std::vector<std::function<void()>>> queue_;
};

inline Loop &loop() {
  static Loop instance;
  return instance;
}

// --------------------------------------------------------------- trace ----

inline void trace_line(const std::string &line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

namespace detail {
inline void put(std::ostringstream &os, const std::string &s) { os << s; }
inline void put(std::ostringstream &os, const char *s) { os << s; }
inline void put(std::ostringstream &os, bool b) { os << (b ? "true" : "false"); }
template <class T> void put(std::ostringstream &os, const T &v) { os << v; }
} // namespace detail

/// trace("a", 1, s) prints "a 1 <s>": the parts joined by single spaces.
template <class... Ts> void trace(const Ts &...parts) {
  std::ostringstream os;
  bool first = true;
  ((os << (first ? "" : " "), detail::put(os, parts), first = false), ...);
  trace_line(os.str());
}

inline void Loop::trace_caught(const char *what) { trace("loop caught", what); }

/// Traces "guard <name> released" when the last copy is destroyed.
class Guard {
public:
  explicit Guard(std::string name)
      : token_(new std::string(std::move(name)), [](std::string *n) {
          trace("guard", *n, "released");
          delete n;
        }) {}
  const std::string &name() const { return *token_; }

private:
  std::shared_ptr<std::string> token_;
};

// -------------------------------------------------------------- errors ----

enum class errc { not_found = 1, timed_out = 2 };

class error_category_impl : public std::error_category {
public:
  const char *name() const noexcept override { return "sim"; }
  std::string message(int code) const override {
    switch (code) {
    case 1:
      return "not found";
    case 2:
      return "timed out";
    default:
      return "error " + std::to_string(code);
    }
  }
};

inline const std::error_category &category() {
  static error_category_impl instance;
  return instance;
}

inline std::error_code make_error(errc e) {
  return std::error_code(static_cast<int>(e), category());
}

// --------------------------------------------------------- completions ----
// Values are small, non-negative and derived from the key alone.

inline int value_of(int key) { return ((key < 0 ? -key : key) * 37 + 11) % 101; }

/// Completes later (posted): 1 to 3 ticks, depending on the key.
inline void fetch(int key, std::function<void(int)> cb) {
  int delay = 1 + (key < 0 ? -key : key) % 3;
  loop().post_after(delay, [cb = std::move(cb), key] { cb(value_of(key)); });
}

/// Completes inline, inside the call.
inline void fetch_now(int key, std::function<void(int)> cb) {
  cb(value_of(key) + 1);
}

/// Completes inline, inside the call, then traces that it returned: the
/// one completion whose own work after the callback can be seen.
inline void fetch_logged(int key, std::function<void(int)> cb) {
  cb(value_of(key) + 2);
  trace("fetch_logged", key, "returned");
}

/// Error-first, completes after 2 ticks. Fails for keys with key % 7 == 3
/// (not found) and key % 11 == 5 (timed out); otherwise yields 3 * key + 1.
inline void read(int key, std::function<void(std::error_code, int)> cb) {
  loop().post_after(2, [cb = std::move(cb), key] {
    int k = key < 0 ? -key : key;
    if (k % 7 == 3)
      cb(make_error(errc::not_found), 0);
    else if (k % 11 == 5)
      cb(make_error(errc::timed_out), 0);
    else
      cb(std::error_code(), (3 * k + 1) % 200);
  });
}

inline std::string word_of(int key) {
  static const char *const words[] = {"ash", "birch", "cedar", "dogwood",
                                      "elm", "fir",   "gum"};
  return words[(key < 0 ? -key : key) % 7];
}

/// Two values, completes after 0 to 3 ticks (two hops through the loop).
inline void pair(int key, std::function<void(int, std::string)> cb) {
  int delay = (key < 0 ? -key : key) % 4;
  loop().post([cb = std::move(cb), key, delay]() mutable {
    loop().post_after(delay, [cb = std::move(cb), key] {
      cb((key < 0 ? -key : key) % 13, word_of(key));
    });
  });
}

/// No values, completes on the next tick.
inline void tick(std::function<void()> cb) {
  loop().post_after(1, [cb = std::move(cb)] { cb(); });
}

/// A keyed store. `get` completes inline for even keys (a cache hit) and
/// posted for odd ones; `async_get` is Asio-style: any callable, error-first,
/// always posted.
class Store {
public:
  explicit Store(std::string name) : name_(std::move(name)) {}

  const std::string &name() const { return name_; }

  void get(int key, std::function<void(std::string)> cb) {
    std::string value = name_ + ":" + word_of(key);
    if (key % 2 == 0) {
      cb(value);
      return;
    }
    loop().post_after(1, [cb = std::move(cb), value] { cb(value); });
  }

  template <class F> void async_get(int key, F &&cb) {
    std::string value = name_ + "/" + word_of(key + 3);
    int k = key < 0 ? -key : key;
    loop().post_after(2, [cb = std::forward<F>(cb), value, k]() mutable {
      if (k % 9 == 4)
        cb(make_error(errc::not_found), std::string());
      else
        cb(std::error_code(), value);
    });
  }

private:
  std::string name_;
};

// -------------------------------------------------------------- decoys ----

/// Multi-shot: calls `cb` n times (0, 1, ..., n-1), one tick apart. Not a
/// completion API.
inline void subscribe(int n, std::function<void(int)> cb) {
  for (int i = 0; i < n; ++i)
    loop().post_after(i + 1, [cb, i] { cb(i); });
}

// ------------------------------------------------------------- harness ----

/// Runs the loop dry and marks the end of a scenario in the trace.
inline void settle(const char *scenario) {
  loop().run();
  trace("--", scenario, "settled");
}

} // namespace sim

#endif // AWAITIFY_E2E_SIM_HPP
