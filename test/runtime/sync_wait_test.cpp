// sync_wait: block until done, return the value or rethrow.
#include <awaitify/awaitify.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <thread>

namespace {

using awaitify::from_callback;
using awaitify::sync_wait;
using awaitify::task;

TEST(SyncWait, ReturnsTheValueOfATask) {
  EXPECT_EQ(sync_wait([]() -> task<int> { co_return 6; }()), 6);
}

TEST(SyncWait, ReturnsAReferenceAsAReference) {
  int target = 1;
  int& got = sync_wait([&]() -> task<int&> { co_return target; }());
  EXPECT_EQ(&got, &target);
}

TEST(SyncWait, ReturnsAMoveOnlyValue) {
  auto p = sync_wait([]() -> task<std::unique_ptr<int>> { co_return std::make_unique<int>(2); }());
  EXPECT_EQ(*p, 2);
}

TEST(SyncWait, RethrowsTheException) {
  EXPECT_THROW(sync_wait([]() -> task<> {
                 throw std::out_of_range("sync");
                 co_return;
               }()),
               std::out_of_range);
}

TEST(SyncWait, BlocksUntilACompletionOnAnotherThread) {
  std::thread worker;
  int got = sync_wait(from_callback<int>([&](auto resume) {
    worker = std::thread([resume] {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      resume(12);
    });
  }));
  worker.join();
  EXPECT_EQ(got, 12);
}

TEST(SyncWait, AcceptsAFromCallbackAwaitableDirectly) {
  EXPECT_EQ(sync_wait(from_callback<int>([](auto resume) { resume(4); })), 4);
}

}  // namespace
