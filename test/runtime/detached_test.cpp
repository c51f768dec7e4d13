// detached: eager start, self-destroying frame, exceptions reported, and the
// same order of side effects as the callback code it replaces.
#include <awaitify/awaitify.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using awaitify::detached;
using awaitify::event_loop;
using awaitify::from_callback;

std::vector<std::string>* reported = nullptr;

void record_exception(std::exception_ptr e) noexcept {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    reported->push_back(ex.what());
  } catch (...) {
    reported->push_back("?");
  }
}

// Installs record_exception for the scope of a test.
struct recording_handler {
  std::vector<std::string> seen;
  awaitify::unhandled_exception_handler previous;
  recording_handler() : previous(awaitify::set_unhandled_exception_handler(&record_exception)) {
    reported = &seen;
  }
  ~recording_handler() {
    awaitify::set_unhandled_exception_handler(previous);
    reported = nullptr;
  }
};

TEST(Detached, RunsInsideTheCallUntilTheFirstSuspension) {
  event_loop loop;
  std::vector<std::string> trace;
  auto body = [&]() -> detached {
    trace.push_back("before await");
    co_await from_callback([&](auto resume) { loop.post(resume); });
    trace.push_back("after await");
  };
  body();
  trace.push_back("call returned");
  loop.run();
  EXPECT_EQ(trace, (std::vector<std::string>{"before await", "call returned", "after await"}));
}

TEST(Detached, FrameIsFreedWhenTheBodyEnds) {
  struct witness {
    bool* destroyed;
    ~witness() { *destroyed = true; }
  };
  event_loop loop;
  bool destroyed = false;
  auto body = [&]() -> detached {
    witness w{&destroyed};
    co_await from_callback([&](auto resume) { loop.post(resume); });
  };
  body();
  EXPECT_FALSE(destroyed);
  loop.run();
  EXPECT_TRUE(destroyed);
}

TEST(Detached, ExceptionEscapingTheBodyGoesToTheHandler) {
  recording_handler handler;
  event_loop loop;
  // Named, so that the closure (and its captures) outlives the suspension.
  auto later = [&]() -> detached {
    co_await from_callback([&](auto resume) { loop.post(resume); });
    throw std::runtime_error("escaped later");
  };
  auto at_once = []() -> detached {
    throw std::runtime_error("escaped at once");
    co_return;
  };
  later();
  at_once();
  loop.run();
  EXPECT_EQ(handler.seen, (std::vector<std::string>{"escaped at once", "escaped later"}));
}

TEST(Detached, BrokenPromiseEscapingTheBodyGoesToTheHandler) {
  recording_handler handler;
  [&]() -> detached { co_await from_callback<int>([](auto) {}); }();
  ASSERT_EQ(handler.seen.size(), 1u);
  EXPECT_NE(handler.seen[0].find("broken_promise"), std::string::npos);
}

TEST(DetachedDeathTest, DefaultHandlerPrintsTheExceptionAndTerminates) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        awaitify::set_unhandled_exception_handler(nullptr);
        auto body = [&]() -> detached {
          throw std::runtime_error("nobody catches this");
          co_return;
        };
        body();
      },
      "awaitify: unhandled exception in a detached coroutine: nobody catches this");
}

// The rewrite the tool makes, checked end to end: the same program written
// with nested callbacks and with co_await leaves the same trace on the loop,
// with two requests interleaving.
struct fake_db {
  event_loop& loop;
  std::vector<std::string>& trace;
  void get_user(int id, std::function<void(std::string)> cb) {
    trace.push_back("get_user " + std::to_string(id));
    loop.post([cb, id] { cb("user" + std::to_string(id)); });
  }
  void get_group(const std::string& user, std::function<void(std::string)> cb) {
    trace.push_back("get_group " + user);
    loop.post([cb, user] { cb(user + "-group"); });
  }
};

void process_with_callbacks(fake_db& db, int id, std::function<void(std::string)> done) {
  db.trace.push_back("start " + std::to_string(id));
  db.get_user(id, [&db, done](std::string user) {
    db.trace.push_back("got " + user);
    db.get_group(user, [user, done](std::string group) { done(user + " in " + group); });
  });
}

detached process_with_coroutines(fake_db& db, int id, std::function<void(std::string)> done) {
  db.trace.push_back("start " + std::to_string(id));
  std::string user =
      co_await from_callback<std::string>([&](auto resume) { db.get_user(id, resume); });
  db.trace.push_back("got " + user);
  std::string group =
      co_await from_callback<std::string>([&](auto resume) { db.get_group(user, resume); });
  done(user + " in " + group);
}

template <class Process>
std::vector<std::string> trace_of(Process process) {
  event_loop loop;
  std::vector<std::string> trace;
  fake_db db{loop, trace};
  auto done = [&trace](std::string r) { trace.push_back("done: " + r); };
  process(db, 1, done);
  process(db, 2, done);
  trace.push_back("both started");
  loop.run();
  return trace;
}

TEST(Detached, RewrittenChainLeavesTheSameTraceAsTheCallbackCode) {
  auto callbacks = trace_of(&process_with_callbacks);
  auto coroutines = trace_of(&process_with_coroutines);
  EXPECT_EQ(coroutines, callbacks);
  EXPECT_EQ(callbacks, (std::vector<std::string>{
                           "start 1", "get_user 1", "start 2", "get_user 2", "both started",
                           "got user1", "get_group user1", "got user2", "get_group user2",
                           "done: user1 in user1-group", "done: user2 in user2-group"}));
}

}  // namespace
