// from_callback across threads. These are the tests ThreadSanitizer watches:
// each runs many rounds so that the completion lands before, during and after
// the awaiter's suspension.
#include <awaitify/awaitify.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using awaitify::broken_promise;
using awaitify::from_callback;
using awaitify::sync_wait;
using awaitify::task;

constexpr int rounds = 300;
// The detached tests start a thread per round: fewer rounds keep them
// quick under ThreadSanitizer, which each still runs in a few interleavings.
constexpr int thread_rounds = 100;

// Count their destructions: a frame destroyed twice, or never, shows.
struct counted_local {
  int* destroyed;
  ~counted_local() { ++*destroyed; }
};
struct atomic_counted_local {
  std::atomic<int>* destroyed;
  ~atomic_counted_local() { destroyed->fetch_add(1); }
};

// A one-shot gate: wait() blocks until open().
class gate {
 public:
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

TEST(FromCallbackThreads, CompletionOnAnotherThreadResumesExactlyOnce) {
  for (int i = 0; i < rounds; ++i) {
    std::thread worker;
    std::atomic<int> resumptions{0};
    int got = sync_wait([&]() -> task<int> {
      int v = co_await from_callback<int>([&](auto resume) {
        worker = std::thread([resume, i] { resume(i); });
      });
      resumptions.fetch_add(1);
      co_return v;
    }());
    worker.join();
    EXPECT_EQ(got, i);
    EXPECT_EQ(resumptions.load(), 1);
  }
}

TEST(FromCallbackThreads, CoroutineContinuesOnTheCompletingThread) {
  gate suspended;
  std::thread worker;
  std::thread::id resumed_on;
  bool delivered = false;
  auto body = [&]() -> task<> {
    co_await from_callback([&](auto resume) {
      worker = std::thread([&suspended, resume] {
        suspended.wait();
        resume();
      });
    });
    resumed_on = std::this_thread::get_id();
  };
  awaitify::spawn(body(), [&](awaitify::result<void> r) {
    r.value();
    delivered = true;
  });
  // spawn returned, so the coroutine is suspended; now let the worker call.
  std::thread::id worker_id = worker.get_id();
  suspended.open();
  worker.join();
  EXPECT_TRUE(delivered);
  EXPECT_EQ(resumed_on, worker_id);
}

TEST(FromCallbackThreads, TwoThreadsCallingTwoCopiesResumeExactlyOnce) {
  for (int i = 0; i < rounds; ++i) {
    std::vector<std::thread> workers;
    std::atomic<int> resumptions{0};
    int got = sync_wait([&]() -> task<int> {
      int v = co_await from_callback<int>([&](auto resume) {
        workers.emplace_back([resume] { resume(1); });
        workers.emplace_back([resume] { resume(2); });
      });
      resumptions.fetch_add(1);
      co_return v;
    }());
    for (auto& w : workers) w.join();
    EXPECT_TRUE(got == 1 || got == 2) << got;
    EXPECT_EQ(resumptions.load(), 1);
  }
}

TEST(FromCallbackThreads, CopiesDroppedOnOtherThreadsResumeWithBrokenPromise) {
  for (int i = 0; i < rounds; ++i) {
    std::vector<std::thread> workers;
    EXPECT_THROW(sync_wait(from_callback<int>([&](auto resume) {
                   workers.emplace_back([copy = resume] {});
                   workers.emplace_back([copy = resume] {});
                 })),
                 broken_promise);
    for (auto& w : workers) w.join();
  }
}

TEST(FromCallbackThreads, CopyDroppedOnAnotherThreadAfterACallChangesNothing) {
  for (int i = 0; i < rounds; ++i) {
    std::vector<std::thread> workers;
    int got = sync_wait(from_callback<int>([&](auto resume) {
      workers.emplace_back([resume] { resume(7); });
      workers.emplace_back([copy = resume] {});
    }));
    for (auto& w : workers) w.join();
    EXPECT_EQ(got, 7);
  }
}

TEST(FromCallbackThreads, CopyOutlivingTheCoroutineIsCalledAndDroppedOnAnotherThread) {
  for (int i = 0; i < rounds; ++i) {
    std::function<void(int)> kept;
    int got = sync_wait(from_callback<int>([&](auto resume) {
      kept = resume;
      resume(1);
    }));
    EXPECT_EQ(got, 1);
    std::thread([kept = std::move(kept)] { kept(2); }).join();
  }
}

TEST(FromCallbackThreads, CopyKeptByAThrowingInitIsCalledOnAnotherThreadHarmlessly) {
  for (int i = 0; i < rounds; ++i) {
    std::thread worker;
    EXPECT_THROW(sync_wait(from_callback<int>([&](auto resume) {
                   worker = std::thread([resume] { resume(1); });
                   throw std::runtime_error("init failed");
                 })),
                 std::runtime_error);
    worker.join();
  }
}

// While init runs, the awaiting thread counts its copies without atomics
// (from_callback.hpp, "The inline fast path"); copies that cross threads
// before init returns must still add up.

TEST(FromCallbackThreads, CopyMadeByInitAndDroppedOnAnotherThreadBeforeInitReturnsBreaksThePromise) {
  for (int i = 0; i < rounds; ++i) {
    EXPECT_THROW(sync_wait(from_callback<int>([](auto resume) {
                   std::thread([copy = resume] {}).join();
                 })),
                 broken_promise);
  }
}

TEST(FromCallbackThreads, CopyMadeOnAnotherThreadAndDroppedByInitBreaksThePromise) {
  for (int i = 0; i < rounds; ++i) {
    EXPECT_THROW(sync_wait(from_callback<int>([](auto resume) {
                   std::function<void(int)> copy;
                   std::thread([&] { copy = resume; }).join();
                   copy = nullptr;
                 })),
                 broken_promise);
  }
}

TEST(FromCallbackThreads, CopyMadeOnAnotherThreadDuringInitCanCompleteLater) {
  for (int i = 0; i < rounds; ++i) {
    std::function<void(int)> copy;
    std::thread worker;
    int got = sync_wait(from_callback<int>([&](auto resume) {
      std::thread([&] { copy = resume; }).join();
      worker = std::thread([&copy] {
        copy(3);
        copy = nullptr;
      });
    }));
    worker.join();
    EXPECT_EQ(got, 3);
  }
}

TEST(FromCallbackThreads, CallOnAnotherThreadBeforeInitReturnsContinuesATaskWithoutSuspending) {
  for (int i = 0; i < rounds; ++i) {
    std::thread::id resumed_on;
    int got = sync_wait([&]() -> task<int> {
      int v = co_await from_callback<int>([](auto resume) {
        std::thread([&resume] { resume(4); }).join();
      });
      resumed_on = std::this_thread::get_id();
      co_return v;
    }());
    EXPECT_EQ(got, 4);
    EXPECT_EQ(resumed_on, std::this_thread::get_id());  // after init returned
  }
}

// A detached coroutine goes on where the callback would have run: on the
// thread that calls back, while the API that started the thread still waits
// for it, and before the API's own work after that.
TEST(FromCallbackThreads, CallOnAnotherThreadBeforeInitReturnsContinuesADetachedOneThere) {
  for (int i = 0; i < thread_rounds; ++i) {
    std::vector<std::string> trace;  // each entry happens-before the next (join)
    std::thread::id resumed_on, worker_id;
    int destroyed = 0;
    auto body = [&]() -> awaitify::detached {
      counted_local local{&destroyed};
      int v = co_await from_callback<int>([&](auto resume) {
        std::thread worker([resume, i] { resume(i); });
        worker_id = worker.get_id();
        worker.join();
        trace.push_back("api: joined");
      });
      resumed_on = std::this_thread::get_id();
      trace.push_back("step " + std::to_string(v));
    };
    body();
    EXPECT_EQ(resumed_on, worker_id);
    EXPECT_EQ(trace, (std::vector<std::string>{"step " + std::to_string(i), "api: joined"}));
    EXPECT_EQ(destroyed, 1);
  }
}

// The completion lands before, during or after the API's return, from
// another thread; the detached frame is freed exactly once, by whichever of
// the API's return and the body's end comes last.
TEST(FromCallbackThreads, DetachedRacingACallAgainstTheApiReturnFreesTheFrameOnce) {
  for (int i = 0; i < thread_rounds; ++i) {
    std::atomic<int> destroyed{0};
    std::atomic<int> resumptions{0};
    std::thread worker;
    auto body = [&]() -> awaitify::detached {
      atomic_counted_local local{&destroyed};
      co_await from_callback<int>([&](auto resume) { worker = std::thread([resume] { resume(1); }); });
      resumptions.fetch_add(1);
    };
    body();
    worker.join();
    EXPECT_EQ(resumptions.load(), 1);
    EXPECT_EQ(destroyed.load(), 1);
  }
}

TEST(FromCallbackThreads, DetachedRacingADropAgainstTheApiReturnEndsQuietlyOnce) {
  for (int i = 0; i < thread_rounds; ++i) {
    std::atomic<int> destroyed{0};
    std::atomic<bool> went_on{false};
    std::thread worker;
    auto body = [&]() -> awaitify::detached {
      atomic_counted_local local{&destroyed};
      co_await from_callback<int>([&](auto resume) { worker = std::thread([kept = resume] {}); });
      went_on = true;
    };
    body();
    worker.join();
    EXPECT_FALSE(went_on.load());
    EXPECT_EQ(destroyed.load(), 1);
  }
}

TEST(FromCallbackThreads, ChainOfAwaitsHoppingBetweenThreadsDeliversEveryValue) {
  constexpr int steps = 200;
  std::vector<std::thread> workers;
  workers.reserve(steps);
  int total = sync_wait([&]() -> task<int> {
    int sum = 0;
    for (int i = 0; i < steps; ++i) {
      sum += co_await from_callback<int>([&](auto resume) {
        workers.emplace_back([resume, i] { resume(i); });
      });
    }
    co_return sum;
  }());
  for (auto& w : workers) w.join();
  EXPECT_EQ(total, steps * (steps - 1) / 2);
}

}  // namespace
