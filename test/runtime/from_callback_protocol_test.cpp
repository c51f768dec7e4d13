// The awaiter protocol of from_callback driven by hand, one step at a time,
// so that each interleaving of "the awaiter suspends" with "a completion is
// called or dropped" is tested deterministically, including the narrow window
// between await_ready and await_suspend that real threads rarely hit. Once
// init has returned, a call on this thread takes the same atomic path as a
// call from any other thread.
#include <awaitify/awaitify.hpp>

#include <gtest/gtest.h>

#include <coroutine>
#include <optional>

namespace {

using awaitify::broken_promise;
using awaitify::completion;
using awaitify::from_callback;

// Stands for the awaiting coroutine: counts how often it is resumed.
struct resume_counter {
  struct promise_type {
    resume_counter get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept {}
  };
  std::coroutine_handle<promise_type> handle;
};

resume_counter count_resumptions(int& n) {
  for (;;) {
    ++n;
    co_await std::suspend_always{};
  }
}

class FromCallbackProtocol : public ::testing::Test {
 protected:
  ~FromCallbackProtocol() override { awaiter_.handle.destroy(); }

  // An awaitable whose init keeps a copy of the completion in `kept`.
  auto keeping() {
    return from_callback<int>([this](auto resume) { kept.emplace(resume); });
  }
  std::coroutine_handle<> awaiter() { return awaiter_.handle; }

  std::optional<completion<int>> kept;
  int resumptions = 0;

 private:
  resume_counter awaiter_ = count_resumptions(resumptions);
};

TEST_F(FromCallbackProtocol, CompletionBeforeInitReturnsMeansNoSuspension) {
  auto a = from_callback<int>([](auto resume) { resume(1); });
  EXPECT_TRUE(a.await_ready());
  EXPECT_EQ(a.await_resume(), 1);
}

TEST_F(FromCallbackProtocol, CompletionBetweenReadyAndSuspendIsNotLost) {
  auto a = keeping();
  ASSERT_FALSE(a.await_ready());
  (*kept)(5);
  EXPECT_FALSE(a.await_suspend(awaiter()));  // carries on at once
  EXPECT_EQ(resumptions, 0);
  EXPECT_EQ(a.await_resume(), 5);
}

TEST_F(FromCallbackProtocol, CompletionAfterSuspendResumesTheAwaiterOnce) {
  auto a = keeping();
  ASSERT_FALSE(a.await_ready());
  EXPECT_TRUE(a.await_suspend(awaiter()));
  EXPECT_EQ(resumptions, 0);
  (*kept)(6);
  EXPECT_EQ(resumptions, 1);
  (*kept)(7);
  EXPECT_EQ(resumptions, 1);
  EXPECT_EQ(a.await_resume(), 6);
}

TEST_F(FromCallbackProtocol, DropBetweenReadyAndSuspendBreaksThePromiseWithoutSuspending) {
  auto a = keeping();
  ASSERT_FALSE(a.await_ready());
  kept.reset();
  EXPECT_FALSE(a.await_suspend(awaiter()));
  EXPECT_EQ(resumptions, 0);
  EXPECT_THROW(a.await_resume(), broken_promise);
}

TEST_F(FromCallbackProtocol, DropAfterSuspendResumesTheAwaiterWithBrokenPromise) {
  auto a = keeping();
  ASSERT_FALSE(a.await_ready());
  EXPECT_TRUE(a.await_suspend(awaiter()));
  kept.reset();
  EXPECT_EQ(resumptions, 1);
  EXPECT_THROW(a.await_resume(), broken_promise);
}

TEST_F(FromCallbackProtocol, CopyOutlivingTheAwaiterIsHarmless) {
  {
    auto a = keeping();
    ASSERT_FALSE(a.await_ready());
    (*kept)(1);
    EXPECT_FALSE(a.await_suspend(awaiter()));
    EXPECT_EQ(a.await_resume(), 1);
  }
  (*kept)(2);     // the awaiter is gone; ignored
  kept.reset();   // the last reference frees the state
  EXPECT_EQ(resumptions, 0);
}

TEST_F(FromCallbackProtocol, InitThatThrowsLeavesNothingToResume) {
  {
    auto a = from_callback<int>([this](auto resume) {
      kept.emplace(resume);
      throw 42;
    });
    EXPECT_THROW(a.await_ready(), int);
  }
  (*kept)(1);
  kept.reset();
  EXPECT_EQ(resumptions, 0);
}

}  // namespace
