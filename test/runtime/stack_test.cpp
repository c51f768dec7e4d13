// Constant stack depth, checked where it is hardest: this binary is always
// built at -O0, so nothing relies on the optimiser turning calls into jumps.
// Each test records the frame address of code that runs on every iteration;
// if anything nested per iteration, a million iterations would spread those
// addresses over megabytes (or overflow the stack). A bound of a few KiB
// leaves room for the first iteration, which may start from a different depth.
#include <awaitify/awaitify.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>

#include "test_apis.hpp"

namespace {

using awaitify::detached;
using awaitify::from_callback;
using awaitify::sync_wait;
using awaitify::task;

constexpr int million = 1'000'000;

struct depth_probe {
  std::uintptr_t lowest = std::numeric_limits<std::uintptr_t>::max();
  std::uintptr_t highest = 0;
  void record(void* frame) {
    auto a = reinterpret_cast<std::uintptr_t>(frame);
    lowest = std::min(lowest, a);
    highest = std::max(highest, a);
  }
  std::uintptr_t spread() const { return highest - lowest; }
};

constexpr std::uintptr_t max_spread = 4096;

TEST(FromCallback, AMillionInlineCompletionsRunInConstantStackWithoutSuspendingATask) {
  depth_probe probe;
  long long sum = sync_wait([&]() -> task<long long> {
    long long s = 0;
    for (int i = 0; i < million; ++i) {
      s += co_await from_callback<int>([&](auto resume) {
        probe.record(__builtin_frame_address(0));
        resume(1);
      });
    }
    co_return s;
  }());
  EXPECT_EQ(sum, million);
  EXPECT_LT(probe.spread(), max_spread);
}

// A detached coroutine replaces callback code, so it nests where the
// callbacks nested: an inline completion resumes it inside the API's call.
// The depth grows per step as the callback recursion's did, and unwinds in
// the same order.
TEST(FromCallback, InlineCompletionsNestADetachedCoroutineAsTheCallbacksNested) {
  constexpr int steps = 1000;
  std::uintptr_t first = 0, last = 0;
  int unwound = 0;
  auto body = [&]() -> detached {
    for (int i = 0; i < steps; ++i) {
      co_await from_callback<int>([&](auto resume) {
        auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
        if (i == 0) first = here;
        last = here;
        resume(i);
        ++unwound;  // the API's own work after calling back
      });
      EXPECT_EQ(unwound, 0);  // every step runs before any API call returns
    }
  };
  body();
  EXPECT_EQ(unwound, steps);
  EXPECT_GT(first, last);  // the stack grows down, step by step
  EXPECT_GT(first - last, static_cast<std::uintptr_t>(steps) * 16);
}

TEST(FromCallback, AMillionInlineCompletionsThroughStdFunctionRunInConstantStack) {
  depth_probe probe;
  long long sum = sync_wait([&]() -> task<long long> {
    long long s = 0;
    for (int i = 0; i < million; ++i) {
      s += co_await from_callback<int>([&](auto resume) {
        probe.record(__builtin_frame_address(0));
        awaitify_test::get_now(0, resume);
      });
    }
    co_return s;
  }());
  EXPECT_EQ(sum, million);
  EXPECT_LT(probe.spread(), max_spread);
}

TEST(Task, AMillionChildTasksCompletingSynchronouslyRunInConstantStack) {
#if defined(__GNUC__) && !defined(__clang__)
  // Symmetric transfer is only stack-neutral when the compiler makes it a tail
  // call. Clang always does; GCC 12 does only at -O2 and without sanitizers,
  // and this binary is built at -O0 (docs/runtime.md, "Known limits").
  GTEST_SKIP() << "GCC does not turn symmetric transfer into a tail call at -O0";
#endif
  depth_probe probe;
  auto child = [&]() -> task<int> {
    probe.record(__builtin_frame_address(0));
    co_return 1;
  };
  long long sum = sync_wait([&]() -> task<long long> {
    long long s = 0;
    for (int i = 0; i < million; ++i) s += co_await child();
    co_return s;
  }());
  EXPECT_EQ(sum, million);
  EXPECT_LT(probe.spread(), max_spread);
}

TEST(EventLoop, AMillionCompletionsThroughTheLoopRunInConstantStack) {
  awaitify::event_loop loop;
  depth_probe probe;
  long long sum = 0;
  auto body = [&]() -> detached {
    for (int i = 0; i < million; ++i) {
      sum += co_await from_callback<int>([&](auto resume) {
        probe.record(__builtin_frame_address(0));
        loop.post([resume] { resume(1); });
      });
    }
  };
  body();
  loop.run();
  EXPECT_EQ(sum, million);
  EXPECT_LT(probe.spread(), max_spread);
}

}  // namespace
