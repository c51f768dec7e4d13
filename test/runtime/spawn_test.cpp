// spawn: start a task from callback code, deliver its result exactly once,
// after the frame is gone.
#include <awaitify/awaitify.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using awaitify::event_loop;
using awaitify::from_callback;
using awaitify::result;
using awaitify::spawn;
using awaitify::task;

std::vector<std::string>* reported = nullptr;
void record_exception(std::exception_ptr e) noexcept {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    reported->push_back(ex.what());
  }
}
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

TEST(Spawn, StartsTheTaskInsideTheCall) {
  std::vector<std::string> trace;
  auto body = [&]() -> task<> {
    trace.push_back("body");
    co_return;
  };
  spawn(body(), [&](result<void> r) {
    r.value();
    trace.push_back("callback");
  });
  trace.push_back("spawn returned");
  EXPECT_EQ(trace, (std::vector<std::string>{"body", "callback", "spawn returned"}));
}

TEST(Spawn, DeliversTheValueToTheCallbackExactlyOnce) {
  event_loop loop;
  int calls = 0;
  std::optional<int> got;
  auto body = [&]() -> task<int> {
    co_return 1 + co_await from_callback<int>([&](auto resume) {
      loop.post([resume] { resume(1); });
      loop.post([resume] { resume(2); });
    });
  };
  spawn(body(), [&](result<int> r) {
    ++calls;
    got = r.value();
  });
  loop.run();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(got, 2);
}

TEST(Spawn, DeliversTheExceptionToTheCallback) {
  std::optional<result<int>> got;
  spawn([]() -> task<int> {
    throw std::runtime_error("task failed");
    co_return 0;
  }(), [&](result<int> r) { got = std::move(r); });
  ASSERT_TRUE(got);
  EXPECT_FALSE(got->has_value());
  EXPECT_TRUE(got->has_exception());
  EXPECT_THROW(got->value(), std::runtime_error);
}

TEST(Spawn, CallsTheCallbackAfterTheTaskFrameIsGone) {
  // A coroutine's parameters live as long as its frame, so this one's
  // destruction marks the frame's.
  struct witness {
    std::vector<std::string>* trace;
    explicit witness(std::vector<std::string>* t) : trace(t) {}
    witness(witness&& o) noexcept : trace(std::exchange(o.trace, nullptr)) {}
    ~witness() {
      if (trace) trace->push_back("frame destroyed");
    }
  };
  event_loop loop;
  std::vector<std::string> trace;
  auto body = [&](witness) -> task<int> {
    co_return co_await from_callback<int>([&](auto resume) { loop.post([resume] { resume(3); }); });
  };
  spawn(body(witness(&trace)),
        [&](result<int> r) { trace.push_back("callback got " + std::to_string(r.value())); });
  loop.run();
  EXPECT_EQ(trace, (std::vector<std::string>{"frame destroyed", "callback got 3"}));
}

TEST(Spawn, DeliversAMoveOnlyValue) {
  std::unique_ptr<int> got;
  spawn([]() -> task<std::unique_ptr<int>> { co_return std::make_unique<int>(8); }(),
        [&](result<std::unique_ptr<int>> r) { got = std::move(r).value(); });
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(*got, 8);
}

TEST(Spawn, WithoutACallbackReportsTheException) {
  recording_handler handler;
  spawn([]() -> task<int> {
    throw std::runtime_error("nobody listens");
    co_return 0;
  }());
  spawn([]() -> task<int> { co_return 1; }());
  EXPECT_EQ(handler.seen, std::vector<std::string>{"nobody listens"});
}

TEST(Spawn, ExceptionThrownByTheCallbackIsReported) {
  recording_handler handler;
  spawn([]() -> task<> { co_return; }(),
        [](result<void>) { throw std::runtime_error("callback failed"); });
  EXPECT_EQ(handler.seen, std::vector<std::string>{"callback failed"});
}

}  // namespace

namespace {

TEST(SpawnDeathTest, DefaultHandlerPrintsWhatATaskLetEscapeAndTerminates) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        awaitify::set_unhandled_exception_handler(nullptr);
        awaitify::spawn([]() -> awaitify::task<> {
          throw std::runtime_error("nobody catches this");
          co_return;
        }());
      },
      "awaitify: unhandled exception with no caller to take it: nobody catches this");
}

}  // namespace
