// Heap allocations per operation, counted by replacing global operator new.
// Counts, not timings: these hold on any machine. Built without sanitizers
// only; with AWAITIFY_NO_RECYCLING the zero-allocation tests skip.
// GCC 12 at -O2 and above flags the completion kept in pending_op's
// std::optional below as maybe-uninitialized when its destructor runs: it
// cannot follow the optional being engaged inside the coroutine. A known
// false positive of GCC's std::optional analysis; the diagnostic state must
// be set before the headers, where the warning points.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <awaitify/awaitify.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <optional>

#include "test_apis.hpp"

namespace {
thread_local long long allocations = 0;  // global operator new calls, this thread
long long live = 0;                      // outstanding blocks (single-threaded use)
}  // namespace

// Out of line, so that GCC does not pair the inlined free() with `new`
// (-Wmismatched-new-delete) without seeing the malloc() behind it.
[[gnu::noinline]] void* operator new(std::size_t n) {
  ++allocations;
  ++live;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  if (p) {
    --live;
    std::free(p);
  }
}
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { ::operator delete(p); }

namespace {

using awaitify::detached;
using awaitify::from_callback;
using awaitify::task;
using namespace awaitify_test;

constexpr bool recycling = awaitify::detail::recycling_allocator::enabled;
constexpr int ops = 1000;
// sync_wait's driver and the task's own frame.
constexpr long long frames_of_a_sync_waited_task = 2;

// Allocations made by `f`, after running it once to warm caches up.
template <class F>
long long allocations_of(F&& f) {
  f();
  long long before = allocations;
  f();
  return allocations - before;
}

// An Asio-style service: keeps the handler (a template type, no erasure)
// until poll() completes it.
template <class Handler>
struct pending_op {
  std::optional<Handler> handler;
  int value = 0;
  void poll() {
    auto h = std::move(*handler);
    handler.reset();
    h(value + 1);
  }
};

// Inline completions in a task: the coroutine does not suspend, the state
// block is recycled from one await to the next.
TEST(Allocations, AwaitingATemplateCallableApiAllocatesNothing) {
  if (!recycling) GTEST_SKIP() << "recycling is off under AddressSanitizer";
  long long n = allocations_of([] {
    awaitify::sync_wait([&]() -> task<> {
      for (int i = 0; i < ops; ++i) {
        co_await from_callback<int>([&](auto resume) { get_by_value(i, resume); });
      }
    }());
  });
  EXPECT_EQ(n, frames_of_a_sync_waited_task);  // nothing per await
}

TEST(Allocations, AwaitingATemplateCallableCompletedLaterAllocatesNothing) {
  if (!recycling) GTEST_SKIP() << "recycling is off under AddressSanitizer";
  using op_type = pending_op<awaitify::completion<int>>;
  op_type op;
  long long sum = 0;
  auto body = [&]() -> detached {
    try {
      for (;;) {
        sum += co_await from_callback<int>([&](auto resume) { op.handler.emplace(resume); });
      }
    } catch (const awaitify::broken_promise&) {
    }
  };
  body();
  for (int i = 0; i < 10; ++i) op.poll();
  long long before = allocations;
  for (int i = 0; i < ops; ++i) op.poll();
  EXPECT_EQ(allocations - before, 0);
  EXPECT_EQ(sum, ops + 10);
  op.handler.reset();  // drops the last completion: the loop ends in broken_promise
}

TEST(Allocations, AwaitingAStdFunctionApiAllocatesNoMoreThanTheRawCallback) {
  if (!recycling) GTEST_SKIP() << "AWAITIFY_NO_RECYCLING is defined";
  auto shared = std::make_shared<int>(1);
  long long sink = 0;
  std::function<void(int)> done = [&sink](int v) { sink += v; };
  long long raw = allocations_of([&] {
    for (int i = 0; i < ops; ++i) get_now(i, [shared, done](int v) { done(v + *shared); });
  });
  long long awaited = allocations_of([&] {
    awaitify::sync_wait([&]() -> task<> {
      for (int i = 0; i < ops; ++i) {
        int v = co_await from_callback<int>([&](auto resume) { get_now(i, resume); });
        done(v + *shared);
      }
    }());
  });
  EXPECT_LE(awaited, raw);
  EXPECT_EQ(raw, ops);  // one std::function heap block per call
#if defined(__GLIBCXX__)
  // libstdc++ allocates the completion with a new-expression, which finds the
  // completion's recycling operator new.
  EXPECT_EQ(awaited, frames_of_a_sync_waited_task);  // the frames only
#endif
}

void nested_chain(int step, int steps, int v, std::function<void(int)> done) {
  get_now(v, [step, steps, done](int r) {
    if (step + 1 == steps) {
      done(r);
    } else {
      nested_chain(step + 1, steps, r, done);
    }
  });
}

detached awaited_chain(int steps, std::function<void(int)> done) {
  int v = 0;
  for (int step = 0; step < steps; ++step) {
    v = co_await from_callback<int>([&](auto resume) { get_now(v, resume); });
  }
  done(v);
}

// A detached chain whose completions all come inline nests as the callbacks
// did (detached.hpp): each step's state block is still in use by the API
// call below it, so it takes one block per step, as the callbacks took one
// std::function per step, plus the frame.
TEST(Allocations, AChainOfInlineAwaitsAllocatesNoMoreThanNestedCallbacksAndTheFrame) {
  if (!recycling) GTEST_SKIP() << "recycling is off under AddressSanitizer";
  constexpr int steps = 16;
  int nested_result = 0, awaited_result = 0;
  std::function<void(int)> nested_done = [&](int r) { nested_result = r; };
  std::function<void(int)> awaited_done = [&](int r) { awaited_result = r; };
  long long nested = allocations_of([&] { nested_chain(0, steps, 0, nested_done); });
  long long awaited = allocations_of([&] { awaited_chain(steps, awaited_done); });
  EXPECT_EQ(nested_result, steps);
  EXPECT_EQ(awaited_result, steps);
  EXPECT_EQ(nested, steps);
  EXPECT_LE(awaited, nested + 1);
}

TEST(Allocations, CompletionsPostedThroughTheLoopAllocateNothingInSteadyState) {
  if (!recycling) GTEST_SKIP() << "recycling is off under AddressSanitizer";
  awaitify::event_loop loop;
  long long n = allocations_of([&] {
    auto body = [&]() -> detached {
      for (int i = 0; i < ops; ++i) {
        co_await from_callback<int>([&](auto resume) { loop.post([resume, i] { resume(i); }); });
      }
    };
    body();
    loop.run();
  });
  EXPECT_EQ(n, 1);  // the frame
}

TEST(Allocations, AwaitingAChildTaskAllocatesOnlyItsFrame) {
  auto child = []() -> task<int> { co_return 1; };
  long long n = allocations_of([&] {
    awaitify::sync_wait([&]() -> task<> {
      for (int i = 0; i < ops; ++i) co_await child();
    }());
  });
  EXPECT_EQ(n, ops + 2);  // each child frame, plus the parent's and sync_wait's
}

TEST(Allocations, DroppedDuplicatedAndOutlivingCompletionsLeakNothing) {
  auto scenarios = [] {
    std::function<void(int)> kept;
    for (int i = 0; i < 50; ++i) {
      auto body = [&]() -> detached {
        try {
          co_await from_callback<int>([](auto) {});  // dropped inline
        } catch (const awaitify::broken_promise&) {
        }
        co_await from_callback<int>([&](auto resume) {  // called twice, one copy kept
          kept = resume;
          auto again = resume;
          resume(1);
          again(2);
        });
        try {
          co_await from_callback<int>([](auto) { throw 1; });  // init throws
        } catch (int) {
        }
      };
      body();
      kept(3);
      kept = nullptr;
    }
  };
  scenarios();
  long long before = live;
  scenarios();
  EXPECT_EQ(live, before);
}

}  // namespace
