// event_loop: deterministic FIFO, single-threaded.
#include <awaitify/awaitify.hpp>

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using awaitify::event_loop;

TEST(EventLoop, RunsHandlersInTheOrderTheyWerePosted) {
  event_loop loop;
  std::vector<int> order;
  for (int i = 0; i < 5; ++i) loop.post([&order, i] { order.push_back(i); });
  EXPECT_EQ(loop.pending(), 5u);
  EXPECT_EQ(loop.run(), 5u);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(loop.empty());
}

TEST(EventLoop, RunOneRunsOnlyTheOldestHandler) {
  event_loop loop;
  std::vector<int> order;
  EXPECT_FALSE(loop.run_one());
  loop.post([&] { order.push_back(1); });
  loop.post([&] { order.push_back(2); });
  EXPECT_TRUE(loop.run_one());
  EXPECT_EQ(order, std::vector<int>{1});
  EXPECT_EQ(loop.pending(), 1u);
}

TEST(EventLoop, RunsWorkPostedByAHandlerAfterWorkPostedBeforeIt) {
  event_loop loop;
  std::vector<std::string> order;
  loop.post([&] {
    order.push_back("a");
    loop.post([&] { order.push_back("c"); });
  });
  loop.post([&] { order.push_back("b"); });
  EXPECT_EQ(loop.run(), 3u);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(EventLoop, KeepsOrderWhileTheQueueWrapsAndGrows) {
  event_loop loop;
  std::vector<int> order;
  int next = 0;
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < 7 * round + 3; ++i) loop.post([&order, n = next++] { order.push_back(n); });
    for (int i = 0; i < 5 * round + 1 && loop.run_one(); ++i) {
    }
  }
  loop.run();
  ASSERT_EQ(order.size(), static_cast<std::size_t>(next));
  for (int i = 0; i < next; ++i) EXPECT_EQ(order[i], i);
}

TEST(EventLoop, AcceptsMoveOnlyAndLargeHandlers) {
  event_loop loop;
  int sum = 0;
  auto p = std::make_unique<int>(5);
  loop.post([&sum, p = std::move(p)] { sum += *p; });
  std::array<int, 64> big{};
  big[63] = 7;
  loop.post([&sum, big] { sum += big[63]; });
  loop.run();
  EXPECT_EQ(sum, 12);
}

TEST(EventLoop, ExceptionFromAHandlerLeavesTheRestQueued) {
  event_loop loop;
  bool second_ran = false;
  loop.post([] { throw std::runtime_error("handler failed"); });
  loop.post([&] { second_ran = true; });
  EXPECT_THROW(loop.run(), std::runtime_error);
  EXPECT_EQ(loop.pending(), 1u);
  loop.run();
  EXPECT_TRUE(second_ran);
}

TEST(EventLoop, DestroyingTheLoopDestroysPendingHandlersWithoutRunningThem) {
  auto alive = std::make_shared<int>(0);
  bool ran = false;
  {
    event_loop loop;
    loop.post([&ran, alive] { ran = true; });
    loop.post([&ran, alive] { ran = true; });
    EXPECT_EQ(alive.use_count(), 3);
  }
  EXPECT_FALSE(ran);
  EXPECT_EQ(alive.use_count(), 1);
}

}  // namespace
