// task<T>: lazy, move-only, symmetric transfer, carries exceptions.
#include <awaitify/awaitify.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using awaitify::sync_wait;
using awaitify::task;

static_assert(!std::is_copy_constructible_v<task<int>>);
static_assert(!std::is_copy_assignable_v<task<int>>);
static_assert(std::is_nothrow_move_constructible_v<task<int>>);
static_assert(std::is_nothrow_move_assignable_v<task<int>>);

// Records its destruction, to observe when a frame goes away.
struct witness {
  std::vector<std::string>* trace;
  std::string name;
  witness(std::vector<std::string>* t, std::string n) : trace(t), name(std::move(n)) {}
  witness(witness&& o) noexcept : trace(std::exchange(o.trace, nullptr)), name(std::move(o.name)) {}
  ~witness() {
    if (trace) trace->push_back(name + " destroyed");
  }
};

TEST(Task, IsLazyAndStartsOnlyWhenAwaited) {
  std::vector<std::string> trace;
  auto child = [&]() -> task<int> {
    trace.push_back("child runs");
    co_return 1;
  };
  int got = sync_wait([&]() -> task<int> {
    task<int> t = child();
    trace.push_back("child created");
    int v = co_await std::move(t);
    trace.push_back("child awaited");
    co_return v;
  }());
  EXPECT_EQ(got, 1);
  EXPECT_EQ(trace, (std::vector<std::string>{"child created", "child runs", "child awaited"}));
}

TEST(Task, DeliversAValue) {
  EXPECT_EQ(sync_wait([]() -> task<std::string> { co_return "value"; }()), "value");
}

TEST(Task, DeliversABracedValue) {
  auto pair = sync_wait([]() -> task<std::pair<int, int>> { co_return {1, 2}; }());
  EXPECT_EQ(pair, std::make_pair(1, 2));
}

TEST(Task, OfVoidRunsToCompletion) {
  bool ran = false;
  sync_wait([&]() -> task<> {
    ran = true;
    co_return;
  }());
  EXPECT_TRUE(ran);
}

TEST(Task, DeliversAMoveOnlyValue) {
  auto p = sync_wait([]() -> task<std::unique_ptr<int>> { co_return std::make_unique<int>(4); }());
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 4);
}

TEST(Task, DeliversAReferenceToTheSameObject) {
  int target = 3;
  auto ref = [&]() -> task<int&> { co_return target; };
  int& got = sync_wait([&]() -> task<int&> { co_return co_await ref(); }());
  EXPECT_EQ(&got, &target);
}

TEST(Task, RethrowsTheBodyExceptionOutOfCoAwait) {
  auto failing = []() -> task<int> {
    throw std::runtime_error("child failed");
    co_return 0;
  };
  std::string caught = sync_wait([&]() -> task<std::string> {
    try {
      co_await failing();
    } catch (const std::runtime_error& e) {
      co_return e.what();
    }
    co_return "nothing";
  }());
  EXPECT_EQ(caught, "child failed");
}

TEST(Task, ExceptionPassesThroughSeveralLevels) {
  auto leaf = []() -> task<int> {
    throw std::logic_error("leaf");
    co_return 0;
  };
  auto middle = [&]() -> task<int> { co_return 1 + co_await leaf(); };
  EXPECT_THROW(sync_wait([&]() -> task<int> { co_return co_await middle(); }()), std::logic_error);
}

TEST(Task, DestroyingAnUnstartedTaskDestroysItsFrame) {
  std::vector<std::string> trace;
  {
    auto make = [](witness w) -> task<> {
      w.trace->push_back("body ran");
      co_return;
    };
    task<> t = make(witness(&trace, "parameter"));
    EXPECT_TRUE(trace.empty());
  }
  EXPECT_EQ(trace, std::vector<std::string>{"parameter destroyed"});
}

TEST(Task, ChildFrameIsDestroyedWhenTheAwaitEnds) {
  std::vector<std::string> trace;
  auto child = [](witness w) -> task<int> { co_return static_cast<int>(w.name.size()); };
  sync_wait([&]() -> task<> {
    int n = co_await child(witness(&trace, "child frame"));
    trace.push_back("parent got " + std::to_string(n));
  }());
  EXPECT_EQ(trace, (std::vector<std::string>{"child frame destroyed", "parent got 11"}));
}

TEST(Task, MoveAssignmentDestroysTheFrameItReplaces) {
  std::vector<std::string> trace;
  auto make = [](witness w) -> task<> {
    (void)w;
    co_return;
  };
  task<> a = make(witness(&trace, "a"));
  task<> b = make(witness(&trace, "b"));
  a = std::move(b);
  EXPECT_EQ(trace, std::vector<std::string>{"a destroyed"});
  sync_wait(std::move(a));
  EXPECT_EQ(trace, (std::vector<std::string>{"a destroyed", "b destroyed"}));
}

TEST(Task, CanBeAwaitedAsAnLvalue) {
  auto child = []() -> task<int> { co_return 5; };
  int got = sync_wait([&]() -> task<int> {
    task<int> t = child();
    co_return co_await t;
  }());
  EXPECT_EQ(got, 5);
}

TEST(Task, AwaiterResumesInsideTheCompletionThatFinishedTheChild) {
  awaitify::event_loop loop;
  std::vector<std::string> trace;
  auto child = [&]() -> task<int> {
    int v = co_await awaitify::from_callback<int>(
        [&](auto resume) { loop.post([&, resume] { trace.push_back("call"); resume(2); trace.push_back("return"); }); });
    co_return v;
  };
  auto body = [&]() -> task<> {
    int v = co_await child();
    trace.push_back("parent got " + std::to_string(v));
  };
  awaitify::spawn(body());
  loop.run();
  EXPECT_EQ(trace, (std::vector<std::string>{"call", "parent got 2", "return"}));
}

}  // namespace
