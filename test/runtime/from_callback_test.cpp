// from_callback on one thread: inline completions, completions from the
// event loop, duplicate calls, dropped completions, throwing init.
#include <awaitify/awaitify.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <vector>

#include "test_apis.hpp"

namespace {

using awaitify::broken_promise;
using awaitify::detached;
using awaitify::event_loop;
using awaitify::from_callback;
using awaitify::result;
using awaitify::spawn;
using awaitify::sync_wait;
using awaitify::task;
using namespace awaitify_test;

// --- What co_await yields ---

template <class... Ts>
using yields = typename awaitify::callback_awaitable<void (*)(awaitify::completion<Ts...>),
                                                     Ts...>::value_type;
static_assert(std::is_void_v<yields<>>);
static_assert(std::is_same_v<yields<int>, int>);
static_assert(std::is_same_v<yields<std::error_code, std::size_t>,
                             std::tuple<std::error_code, std::size_t>>);
static_assert(std::is_same_v<yields<const std::string&>, std::string>);

static_assert(std::is_copy_constructible_v<awaitify::completion<int>>);
static_assert(std::is_nothrow_move_constructible_v<awaitify::completion<int>>);
static_assert(std::is_convertible_v<awaitify::completion<int>, std::function<void(int)>>);
static_assert(std::is_convertible_v<awaitify::completion<int>, std::function<void(const int&)>>);
static_assert(std::is_convertible_v<awaitify::completion<std::string>,
                                    std::function<void(const std::string&)>>);

TEST(FromCallback, InlineCallbackYieldsTheValueWithoutSuspending) {
  bool finished = false;
  int got = 0;
  auto body = [&]() -> detached {
    got = co_await from_callback<int>([&](auto resume) { get_now(41, resume); });
    finished = true;
  };
  body();
  // Nothing resumed the coroutine from outside: it never suspended.
  EXPECT_TRUE(finished);
  EXPECT_EQ(got, 42);
}

TEST(FromCallback, SeveralValuesYieldATupleForStructuredBindings) {
  auto [ec, n] = sync_wait(from_callback<std::error_code, std::size_t>([](auto resume) {
    resume(std::make_error_code(std::errc::timed_out), std::size_t{7});
  }));
  EXPECT_EQ(ec, std::errc::timed_out);
  EXPECT_EQ(n, 7u);
}

TEST(FromCallback, NoValuesYieldVoidAndTsAreDeduced) {
  int calls = 0;
  auto wait = [&](std::function<void()> callback) {
    ++calls;
    callback();
  };
  sync_wait([&]() -> task<> { co_await from_callback([&](auto resume) { wait(resume); }); }());
  EXPECT_EQ(calls, 1);
}

TEST(FromCallback, CompletionConvertsToStdFunctionOfConstReferences) {
  std::string got = sync_wait(
      from_callback<std::string>([](auto resume) { name_now(3, resume); }));
  EXPECT_EQ(got, "name-3");
}

TEST(FromCallback, CompletionWorksWithTemplateCallablesAndFunctionRefs) {
  EXPECT_EQ(sync_wait(from_callback<int>([](auto resume) { get_by_value(1, resume); })), 2);
  EXPECT_EQ(sync_wait(from_callback<int>([](auto resume) { get_forwarding(2, resume); })), 3);
  EXPECT_EQ(sync_wait(from_callback<int>([](auto resume) { get_forwarding(3, std::move(resume)); })),
            4);
  EXPECT_EQ(sync_wait(from_callback<int>([](auto resume) { get_via_ref(4, resume); })), 5);
  // An init that takes the completion by lvalue reference gets one too.
  EXPECT_EQ(sync_wait(from_callback<int>([](auto& resume) { resume(6); })), 6);
}

TEST(FromCallback, CompletionAcceptsArgumentsConvertibleToTs) {
  EXPECT_EQ(sync_wait(from_callback<std::string>([](auto resume) { resume("literal"); })),
            "literal");
  EXPECT_EQ(sync_wait(from_callback<long long>([](auto resume) { resume(5); })), 5);
  EXPECT_EQ(sync_wait(from_callback<std::string>(
                [](auto resume) { resume(std::string("temporary")); })),
            "temporary");
}

TEST(FromCallback, MoveOnlyValueIsMovedToTheAwaiter) {
  std::unique_ptr<int> p = sync_wait(from_callback<std::unique_ptr<int>>(
      [](auto resume) { resume(std::make_unique<int>(9)); }));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 9);
}

TEST(FromCallback, ReferenceParameterIsDeliveredAsACopy) {
  std::optional<std::string> source{"original"};
  std::string got = sync_wait(from_callback<const std::string&>([&](auto resume) {
    std::function<void(const std::string&)> f = resume;
    f(*source);
    source.reset();  // the API's object is gone; the awaiter's copy is not
  }));
  EXPECT_EQ(got, "original");
}

// --- Completion later, on the same thread ---

TEST(FromCallback, CompletionPostedToTheLoopResumesTheCoroutineInsideThatCall) {
  event_loop loop;
  std::vector<std::string> trace;
  auto body = [&]() -> task<int> {
    trace.push_back("start");
    int v = co_await from_callback<int>([&](auto resume) {
      loop.post([&, resume] {
        trace.push_back("completion called");
        resume(42);
        trace.push_back("completion returned");
      });
      trace.push_back("init returned");
    });
    trace.push_back("resumed with " + std::to_string(v));
    co_return v;
  };
  spawn(body(), [&](result<int> r) { trace.push_back("delivered " + std::to_string(r.value())); });
  trace.push_back("spawn returned");
  EXPECT_EQ(loop.run(), 1u);
  EXPECT_EQ(trace, (std::vector<std::string>{"start", "init returned", "spawn returned",
                                             "completion called", "resumed with 42",
                                             "delivered 42", "completion returned"}));
}

TEST(FromCallback, StdFunctionApiCompletingFromTheLoopDeliversTheValue) {
  event_loop loop;
  async_store store{loop};
  std::optional<int> got;
  auto body = [&]() -> task<int> {
    int a = co_await from_callback<int>([&](auto resume) { store.get(1, resume); });
    int b = co_await from_callback<int>([&](auto resume) { store.get(a, resume); });
    co_return b;
  };
  spawn(body(), [&](result<int> r) { got = r.value(); });
  EXPECT_FALSE(got);
  loop.run();
  EXPECT_EQ(got, 3);
}

// --- Called twice ---

TEST(FromCallback, SecondCallThroughACopyIsIgnoredInline) {
  int second_returned = 0;
  int got = sync_wait(from_callback<int>([&](auto resume) {
    auto first = resume;
    auto second = resume;
    first(1);
    second(2);
    ++second_returned;
  }));
  EXPECT_EQ(got, 1);
  EXPECT_EQ(second_returned, 1);
}

TEST(FromCallback, SecondCallThroughACopyIsIgnoredLater) {
  event_loop loop;
  int resumptions = 0;
  std::optional<int> got;
  auto body = [&]() -> task<int> {
    int v = co_await from_callback<int>([&](auto resume) {
      loop.post([resume] { resume(1); });
      loop.post([resume] { resume(2); });
    });
    ++resumptions;
    co_return v;
  };
  spawn(body(), [&](result<int> r) { got = r.value(); });
  loop.run();
  EXPECT_EQ(got, 1);
  EXPECT_EQ(resumptions, 1);
}

TEST(FromCallback, CopyCalledAfterTheCoroutineIsGoneDoesNothing) {
  std::function<void(int)> kept;
  int got = sync_wait(from_callback<int>([&](auto resume) {
    kept = resume;
    resume(1);
  }));
  EXPECT_EQ(got, 1);
  kept(2);          // the state outlives the coroutine; the call is ignored
  kept = nullptr;   // the last copy frees it (LeakSanitizer checks)
}

TEST(FromCallback, CallingAMovedFromCompletionDoesNothing) {
  int got = sync_wait(from_callback<int>([&](auto resume) {
    auto a = resume;
    auto b = std::move(a);
    a(1);  // NOLINT(bugprone-use-after-move): moved-from is documented as inert
    b(2);
  }));
  EXPECT_EQ(got, 2);
}

TEST(FromCallback, CompletionCopiesCanBeAssigned) {
  int got = sync_wait(from_callback<int>([&](auto resume) {
    auto a = resume;
    auto b = resume;
    a = b;
    b = std::move(a);
    a = resume;
    b(3);
  }));
  EXPECT_EQ(got, 3);
}

// --- Never called ---

TEST(FromCallback, DroppedWithoutACallResumesWithBrokenPromise) {
  EXPECT_THROW(sync_wait(from_callback<int>([](auto) {})), broken_promise);
  EXPECT_THROW(sync_wait(from_callback<int>([](auto resume) {
                 std::function<void(int)> copy = resume;
               })),
               broken_promise);
}

TEST(FromCallback, DroppedLaterOnTheLoopResumesWithBrokenPromise) {
  event_loop loop;
  std::optional<result<int>> got;
  std::vector<std::string> trace;
  auto body = [&]() -> task<int> {
    try {
      co_return co_await from_callback<int>([&](auto resume) {
        loop.post([resume] {});  // the handler runs and drops its copy
      });
    } catch (const broken_promise&) {
      trace.push_back("broken");
      throw;
    }
  };
  spawn(body(), [&](result<int> r) { got = std::move(r); });
  EXPECT_FALSE(got);
  loop.run();
  ASSERT_TRUE(got);
  EXPECT_THROW(got->value(), broken_promise);
  EXPECT_EQ(trace, std::vector<std::string>{"broken"});
}

TEST(FromCallback, DestroyingTheLoopWithTheCompletionQueuedResumesWithBrokenPromise) {
  std::optional<result<int>> got;
  {
    event_loop loop;
    auto body = [&]() -> task<int> {
      co_return co_await from_callback<int>([&](auto resume) { loop.post([resume] { resume(1); }); });
    };
    spawn(body(), [&](result<int> r) { got = std::move(r); });
    EXPECT_FALSE(got);
  }
  ASSERT_TRUE(got);
  EXPECT_THROW(got->value(), broken_promise);
}

TEST(FromCallback, CopyDroppedAfterAnotherCopyWasCalledChangesNothing) {
  event_loop loop;
  std::optional<int> got;
  auto body = [&]() -> task<int> {
    co_return co_await from_callback<int>([&](auto resume) {
      loop.post([resume] { resume(5); });
      loop.post([resume] {});
    });
  };
  spawn(body(), [&](result<int> r) { got = r.value(); });
  loop.run();
  EXPECT_EQ(got, 5);
}

// --- init throws ---

TEST(FromCallback, ExceptionFromInitComesOutOfCoAwait) {
  auto body = []() -> task<std::string> {
    try {
      co_await from_callback<int>([](auto) { throw std::runtime_error("init failed"); });
    } catch (const std::runtime_error& e) {
      co_return e.what();
    }
    co_return "not thrown";
  };
  EXPECT_EQ(sync_wait(body()), "init failed");
}

TEST(FromCallback, CopyKeptByAThrowingInitStaysHarmless) {
  std::function<void(int)> kept;
  EXPECT_THROW(sync_wait(from_callback<int>([&](auto resume) {
                 kept = resume;
                 throw std::runtime_error("init failed");
               })),
               std::runtime_error);
  kept(1);          // nothing to resume: ignored
  kept = nullptr;   // frees the state
}

TEST(FromCallback, ExceptionFromMovingTheValueComesOutOfCoAwait) {
  struct throws_on_move {
    throws_on_move() = default;
    throws_on_move(const throws_on_move&) = default;
    throws_on_move(throws_on_move&&) { throw std::runtime_error("move failed"); }
  };
  EXPECT_THROW(sync_wait(from_callback<throws_on_move>(
                   [](auto resume) { resume(throws_on_move{}); })),
               std::runtime_error);
}

// --- Awaitable object ---

TEST(FromCallback, AwaitableStoredInAVariableCanBeAwaitedTwice) {
  int calls = 0;
  int total = sync_wait([&]() -> task<int> {
    auto next = from_callback<int>([&](auto resume) { resume(++calls); });
    int a = co_await next;
    int b = co_await next;
    co_return a * 10 + b;
  }());
  EXPECT_EQ(total, 12);
}

}  // namespace
