//===- idioms.hpp - A tiny deterministic world for the idiom corpus -------===//
//
// Every program in test/idioms/ runs against this header, once as written
// (callbacks) and once after `awaitify fix` (coroutines). It does not know
// awaitify exists. Both versions must print the same lines and exit with the
// same status, so everything here is deterministic: one event loop on one
// thread, first in first out, no clocks, no addresses in the output.
//
//   idioms::post / run   the event loop. `run` runs queued jobs until none
//                        is left, jobs queued meanwhile included. It catches
//                        an exception thrown by a job, prints
//                        "loop caught: <what>" and goes on with the next job.
//   idioms::trace        prints one line (its arguments joined by spaces)
//                        and flushes it, so a crash still shows how far a
//                        program got.
//   io::...              callback-last completion APIs. Most print a line
//                        when they are called ("io: get 3"), so the moment an
//                        operation starts is part of the trace.
//
// The rule file idioms.yaml lists the APIs that call their callback exactly
// once (and io::lookup, which drops it, and io::fetch, which takes two
// callbacks: see there). io::get_twice is a decoy and is not listed. The
// APIs that call back on another thread are in threads.hpp.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_IDIOMS_HPP
#define AWAITIFY_IDIOMS_HPP

#include <cstddef>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace idioms {

// ---------------------------------------------------------------- trace ----

namespace detail {
inline void put(std::string &out, const std::string &s) { out += s; }
inline void put(std::string &out, const char *s) { out += s; }
inline void put(std::string &out, char c) { out += c; }
inline void put(std::string &out, bool b) { out += b ? "true" : "false"; }
inline void put(std::string &out, const std::error_code &ec) {
  out += ec ? ec.message() : std::string("ok");
}
template <class T>
  requires std::is_integral_v<T>
void put(std::string &out, T v) {
  out += std::to_string(v);
}
} // namespace detail

/// trace("got", 3, name) prints "got 3 <name>" as one flushed line (an
/// error_code prints as its message, or "ok").
template <class... Ts> void trace(const Ts &...parts) {
  std::string line;
  bool first = true;
  ((line += first ? "" : " ", detail::put(line, parts), first = false), ...);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

// ----------------------------------------------------------------- loop ----

class Loop {
public:
  /// Queues `job` after everything already queued.
  void post(std::function<void()> job) { jobs_.push_back(std::move(job)); }

  /// Runs jobs until none is left. An exception escaping a job is printed
  /// ("loop caught: ...") and the loop goes on.
  void run() {
    running_ = true;
    while (!jobs_.empty()) {
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      try {
        job();
      } catch (const std::exception &e) {
        trace("loop caught:", e.what());
      } catch (...) {
        trace("loop caught: something that is not a std::exception");
      }
    }
    running_ = false;
  }

  /// True while `run` is running jobs (the loop has one thread).
  bool running() const { return running_; }

private:
  std::deque<std::function<void()>> jobs_;
  bool running_ = false;
};

inline Loop &loop() {
  static Loop instance;
  return instance;
}

/// Completion API: calls `job` exactly once, from the loop, after the jobs
/// already queued.
inline void post(std::function<void()> job) { loop().post(std::move(job)); }

inline void run() { loop().run(); }

} // namespace idioms

namespace io {

using idioms::trace;

/// What every lookup yields for a key: small and derived from the key alone.
inline int value_of(int key) { return ((key < 0 ? -key : key) * 37 + 11) % 101; }

// --------------------------------------------------------------- errors ----

enum class errc { not_found = 1, unavailable = 2, end_of_stream = 3 };

class error_category_impl : public std::error_category {
public:
  const char *name() const noexcept override { return "io"; }
  std::string message(int code) const override {
    switch (code) {
    case 1:
      return "not found";
    case 2:
      return "unavailable";
    case 3:
      return "end of stream";
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

// ---------------------------------------------------------- completions ----

/// Completes later: the callback runs from the loop.
inline void get(int key, std::function<void(int)> cb) {
  trace("io: get", key);
  idioms::post([cb = std::move(cb), key] { cb(value_of(key)); });
}

/// Like get, but takes any callable by value, also a move-only one (a
/// lambda holding a std::unique_ptr), which std::function cannot hold. The
/// callable lives until the job that calls it is done, as with get.
template <class F> void get_any(int key, F cb) {
  trace("io: get_any", key);
  auto holder = std::make_shared<F>(std::move(cb));
  idioms::post([holder, key] { (*holder)(value_of(key)); });
}

/// Completes inline, inside the call, then does more work: prints
/// "api: after callback" once the callback has returned. An exception from
/// the callback passes through (printed on the way) to whoever called
/// get_now.
inline void get_now(int key, std::function<void(int)> cb) {
  trace("io: get_now", key);
  try {
    cb(value_of(key));
  } catch (...) {
    trace("api: callback threw");
    throw;
  }
  trace("api: after callback");
}

/// Takes its key by reference, completes inline with the key's length, then
/// prints "api: described" (without reading the key again).
inline void describe(const std::string &name, std::function<void(int)> cb) {
  trace("io: describe", name);
  cb(static_cast<int>(name.size()));
  trace("api: described");
}

/// Completes inline and prints nothing: for long runs of inline completions.
inline void peek(int key, std::function<void(int)> cb) { cb(value_of(key)); }

/// Decoy, NOT a completion API: calls its callback twice, from the loop.
inline void get_twice(int key, std::function<void(int)> cb) {
  trace("io: get_twice", key);
  idioms::post([cb, key] { cb(value_of(key)); });
  idioms::post([cb, key] { cb(value_of(key) + 1); });
}

/// Like get, but a key it does not know (a multiple of 5) is dropped: the
/// callback is destroyed without being called, later, from the loop.
inline void lookup(int key, std::function<void(int)> cb) {
  trace("io: lookup", key);
  idioms::post([cb = std::move(cb), key] {
    if (key % 5 == 0) {
      trace("io: lookup", key, "unknown, callback dropped");
      return;
    }
    cb(value_of(key));
  });
}

/// Error-first, completes later. Keys that are multiples of 5 are not found.
inline void read(int key, std::function<void(std::error_code, int)> cb) {
  trace("io: read", key);
  idioms::post([cb = std::move(cb), key] {
    if (key % 5 == 0)
      cb(make_error(errc::not_found), 0);
    else
      cb(std::error_code(), value_of(key));
  });
}

/// Error-first, completes later; fails ("unavailable") the first two times
/// it is asked for a key, then succeeds.
inline void read_flaky(int key, std::function<void(std::error_code, int)> cb) {
  static std::map<int, int> attempts;
  int attempt = ++attempts[key];
  trace("io: read_flaky", key, "attempt", attempt);
  idioms::post([cb = std::move(cb), key, attempt] {
    if (attempt <= 2)
      cb(make_error(errc::unavailable), 0);
    else
      cb(std::error_code(), value_of(key));
  });
}

/// Throws before calling back (std::invalid_argument) for a negative key;
/// otherwise completes later.
inline void get_checked(int key, std::function<void(int)> cb) {
  trace("io: get_checked", key);
  if (key < 0)
    throw std::invalid_argument("get_checked: negative key " + std::to_string(key));
  idioms::post([cb = std::move(cb), key] { cb(value_of(key)); });
}

inline std::string word_of(int key) {
  static const char *const words[] = {"ash", "birch", "cedar", "elm", "fir", "oak", "yew"};
  return words[(key < 0 ? -key : key) % 7];
}

/// Two values, completes later.
inline void get_pair(int key, std::function<void(int, std::string)> cb) {
  trace("io: get_pair", key);
  idioms::post([cb = std::move(cb), key] { cb(value_of(key), word_of(key)); });
}

struct User {
  int id;
  std::string name;
};

/// A record, completes later.
inline void get_user(int id, std::function<void(User)> cb) {
  trace("io: get_user", id);
  idioms::post([cb = std::move(cb), id] { cb(User{id, word_of(id) + std::to_string(id)}); });
}

/// A record, completes later. Every third one comes from a cache and is
/// passed as const: a forwarding callback (`auto &&u`) is instantiated for a
/// `const User &` and for a `User &`.
template <class F> void find_user(int id, F cb) {
  trace("io: find_user", id);
  idioms::post([cb = std::move(cb), id]() mutable {
    User u{id, word_of(id) + std::to_string(id)};
    if (id % 3 == 0)
      cb(std::as_const(u));
    else
      cb(u);
  });
}

/// No value, completes later.
inline void tick(std::function<void()> cb) {
  trace("io: tick");
  idioms::post([cb = std::move(cb)] { cb(); });
}

/// Sends a line, completes later with the number of bytes sent.
inline void send(std::string data, std::function<void(std::size_t)> cb) {
  trace("io: send", data);
  idioms::post([cb = std::move(cb), n = data.size()] { cb(n); });
}

/// TWO callbacks: on_ok(value) or on_error(code), later. Not a completion
/// API in awaitify's sense (a second callable argument), although the rule
/// file names it, by mistake.
inline void fetch(int key, std::function<void(int)> on_ok,
                  std::function<void(std::error_code)> on_error) {
  trace("io: fetch", key);
  idioms::post([on_ok = std::move(on_ok), on_error = std::move(on_error), key] {
    if (key % 5 == 0)
      on_error(make_error(errc::not_found));
    else
      on_ok(value_of(key));
  });
}

// ----------------------------------------------------------------- Store ----

/// A keyed store with a cache: a key asked for before completes inline (a
/// hit), a new one later, from the loop.
class Store {
public:
  explicit Store(std::string name) : name_(std::move(name)) {}

  void get(int key, std::function<void(std::string)> cb) {
    std::string value = name_ + ":" + word_of(key);
    if (seen_.count(key)) {
      trace("io: Store::get", key, "(cached)");
      cb(value);
      return;
    }
    trace("io: Store::get", key);
    seen_[key] = true;
    idioms::post([cb = std::move(cb), value] { cb(value); });
  }

private:
  std::string name_;
  std::map<int, bool> seen_;
};

// -------------------------------------------------------------- Executor ----

/// An executor-like object: `dispatch` runs the job inline when called from
/// inside the loop, and posts it otherwise. Either way exactly once.
class Executor {
public:
  void dispatch(std::function<void()> job) {
    if (idioms::loop().running()) {
      trace("io: dispatch (inline)");
      job();
      return;
    }
    trace("io: dispatch (posted)");
    idioms::post(std::move(job));
  }
};

// ---------------------------------------------------------------- Stream ----

/// A scripted line stream: read_line yields the given lines one by one, then
/// end_of_stream; write echoes what it is given. Both complete later.
class Stream {
public:
  explicit Stream(std::vector<std::string> input) : input_(std::move(input)) {}

  void read_line(std::function<void(std::error_code, std::string)> cb) {
    trace("io: read_line");
    if (next_ < input_.size()) {
      idioms::post([cb = std::move(cb), line = input_[next_++]] { cb(std::error_code(), line); });
      return;
    }
    idioms::post([cb = std::move(cb)] { cb(make_error(errc::end_of_stream), std::string()); });
  }

  void write(std::string line, std::function<void(std::error_code, std::size_t)> cb) {
    trace("io: write", line);
    idioms::post([cb = std::move(cb), n = line.size()] { cb(std::error_code(), n); });
  }

private:
  std::vector<std::string> input_;
  std::size_t next_ = 0;
};

// ------------------------------------------------------------ Pool/Lease ----

class Pool;

/// A share of the pool's single connection. Copies share it; when the last
/// copy is destroyed the connection goes back to the pool, which prints
/// "pool: lease returned". An empty Lease (the pool was busy) holds nothing.
class Lease {
public:
  Lease() = default;
  Lease(const Lease &other);
  Lease(Lease &&other) noexcept : pool_(other.pool_) { other.pool_ = nullptr; }
  Lease &operator=(const Lease &) = delete;
  Lease &operator=(Lease &&) = delete;
  ~Lease();

  explicit operator bool() const { return pool_ != nullptr; }

private:
  friend class Pool;
  explicit Lease(Pool *pool) : pool_(pool) {}
  Pool *pool_ = nullptr;
};

/// Hands out one lease at a time: take() while a lease is out prints
/// "pool: busy" and returns an empty one.
class Pool {
public:
  Lease take() {
    if (holders_ > 0) {
      trace("pool: busy");
      return Lease();
    }
    ++holders_;
    trace("pool: lease taken");
    return Lease(this);
  }

  bool busy() const { return holders_ > 0; }

private:
  friend class Lease;
  void acquire() { ++holders_; }
  void release() {
    if (--holders_ == 0)
      trace("pool: lease returned");
  }
  int holders_ = 0;
};

inline Lease::Lease(const Lease &other) : pool_(other.pool_) {
  if (pool_)
    pool_->acquire();
}

inline Lease::~Lease() {
  if (pool_)
    pool_->release();
}

} // namespace io

#endif // AWAITIFY_IDIOMS_HPP
