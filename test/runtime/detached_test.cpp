// detached: eager start, self-destroying frame, exceptions where the callback
// code sent them, and the same order of side effects as the callback code it
// replaces.
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

// Counts its destructions: a frame destroyed twice, or never, shows.
struct witness {
  int* destroyed;
  ~witness() { ++*destroyed; }
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
  event_loop loop;
  int destroyed = 0;
  auto body = [&]() -> detached {
    witness w{&destroyed};
    co_await from_callback([&](auto resume) { loop.post(resume); });
  };
  body();
  EXPECT_EQ(destroyed, 0);
  loop.run();
  EXPECT_EQ(destroyed, 1);
}

TEST(Detached, ExceptionBeforeTheFirstSuspensionLeavesTheCall) {
  int destroyed = 0;
  auto at_once = [&]() -> detached {
    witness w{&destroyed};
    throw std::runtime_error("escaped at once");
    co_return;
  };
  try {
    at_once();
    ADD_FAILURE() << "the call returned";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "escaped at once");
  }
  EXPECT_EQ(destroyed, 1);  // and, under ASan/LSan, the frame is freed once
}

TEST(Detached, ExceptionAfterAResumptionLeavesTheCompletionCall) {
  event_loop loop;
  std::vector<std::string> trace;
  // Named, so that the closure (and its captures) outlives the suspension.
  auto later = [&]() -> detached {
    co_await from_callback([&](auto resume) {
      loop.post([resume, &trace] {
        try {
          resume();
        } catch (const std::exception& e) {
          trace.push_back(std::string("completion call threw: ") + e.what());
        }
      });
    });
    trace.push_back("resumed");
    throw std::runtime_error("escaped later");
  };
  later();
  trace.push_back("call returned");
  loop.run();
  EXPECT_EQ(trace, (std::vector<std::string>{"call returned", "resumed",
                                             "completion call threw: escaped later"}));
}

TEST(Detached, ExceptionAfterAResumptionFreesTheFrameOnce) {
  // The frame is left at its final suspend point by the standard; the
  // completion call destroys it. Under ASan/LSan a leak or a second free of
  // the frame fails this test.
  event_loop loop;
  int destroyed = 0;
  auto later = [&]() -> detached {
    witness w{&destroyed};
    co_await from_callback([&](auto resume) { loop.post(resume); });
    throw std::runtime_error("escaped later");
  };
  later();
  later();
  int caught = 0;
  while (true) {
    try {
      loop.run();
      break;
    } catch (const std::runtime_error&) {
      ++caught;  // out of run(), as a throwing callback's exception would be
    }
  }
  EXPECT_EQ(caught, 2);
  EXPECT_EQ(destroyed, 2);
}

// What the unhandled-exception handler received while it was installed.
std::vector<std::string> handled;
void record_handled(std::exception_ptr e) noexcept {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    handled.push_back(ex.what());
  }
}
struct handler_scope {
  awaitify::unhandled_exception_handler previous;
  handler_scope() : previous(awaitify::set_unhandled_exception_handler(&record_handled)) {
    handled.clear();
  }
  ~handler_scope() { awaitify::set_unhandled_exception_handler(previous); }
};

TEST(Detached, AnExceptionAfterAnInlineFirstCompletionGoesToTheHandler) {
  // The first completion is called before init returns: the coroutine goes
  // on inside it, and by the time the exception is back in init's caller the
  // call can no longer throw it (detail/activation.hpp).
  handler_scope scope;
  int destroyed = 0;
  auto body = [&]() -> detached {
    witness w{&destroyed};
    co_await from_callback<int>([](auto resume) { resume(1); });
    throw std::runtime_error("after an inline completion");
  };
  EXPECT_NO_THROW(body());
  EXPECT_EQ(handled, std::vector<std::string>{"after an inline completion"});
  EXPECT_EQ(destroyed, 1);
}

TEST(Detached, ACompletionDroppedUncalledEndsTheChainQuietly) {
  int destroyed = 0;
  bool ran_on = false;
  auto body = [&]() -> detached {
    witness w{&destroyed};
    co_await from_callback<int>([](auto) {});
    ran_on = true;
  };
  EXPECT_NO_THROW(body());
  EXPECT_EQ(destroyed, 1);
  EXPECT_FALSE(ran_on);
}

TEST(Detached, ACompletionDroppedLaterEndsTheChainQuietly) {
  event_loop loop;
  int destroyed = 0;
  bool ran_on = false;
  auto body = [&]() -> detached {
    witness w{&destroyed};
    co_await from_callback<int>([&](auto resume) { loop.post([resume] {}); });
    ran_on = true;
  };
  body();
  EXPECT_EQ(destroyed, 0);
  EXPECT_NO_THROW(loop.run());
  EXPECT_EQ(destroyed, 1);
  EXPECT_FALSE(ran_on);
}

TEST(Detached, TheSameExceptionsAsTheCallbackCode) {
  // One program written both ways: a throw before the first operation, and
  // one in a continuation run by the loop, which catches around each job.
  auto run = [](auto start) {
    event_loop loop;
    std::vector<std::string> trace;
    for (int i = 0; i < 2; ++i) {
      try {
        start(loop, trace, i);
      } catch (const std::exception& e) {
        trace.push_back(std::string("caller caught: ") + e.what());
      }
    }
    while (true) {
      try {
        loop.run();
        break;
      } catch (const std::exception& e) {
        trace.push_back(std::string("loop caught: ") + e.what());
      }
    }
    return trace;
  };
  auto callbacks = run([](event_loop& loop, std::vector<std::string>& trace, int i) {
    if (i == 0) throw std::runtime_error("bad request");
    loop.post([&trace] {
      trace.push_back("step");
      throw std::runtime_error("bad reply");
    });
  });
  auto coroutines = run([](event_loop& loop, std::vector<std::string>& trace, int i) -> detached {
    if (i == 0) throw std::runtime_error("bad request");
    co_await from_callback([&](auto resume) { loop.post(resume); });
    trace.push_back("step");
    throw std::runtime_error("bad reply");
  });
  EXPECT_EQ(coroutines, callbacks);
  EXPECT_EQ(callbacks, (std::vector<std::string>{"caller caught: bad request", "step",
                                                 "loop caught: bad reply"}));
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

// An API that calls back before it returns and then goes on with its own
// work. (It takes the key by value: a key lent by reference from a local of
// the coroutine would be read after the body that owned it ended -- the
// analysis rates such chains below `safe` for that reason.)
void lookup_then_log(std::string key, std::vector<std::string>& trace,
                     const std::function<void(int)>& callback) {
  trace.push_back("api: lookup " + key);
  callback(static_cast<int>(key.size()));
  trace.push_back("api: after callback for " + key);
}

void audit_with_callbacks(std::vector<std::string>& trace) {
  std::string first = "alpha";
  lookup_then_log(first, trace, [&trace](int a) {
    trace.push_back("step 1: " + std::to_string(a));
    std::string second = "be";
    lookup_then_log(second, trace, [&trace](int b) { trace.push_back("step 2: " + std::to_string(b)); });
  });
  trace.push_back("audit returned");
}

detached audit_with_coroutines(std::vector<std::string>& trace) {
  std::string first = "alpha";
  int a = co_await from_callback<int>([&](auto resume) { lookup_then_log(first, trace, resume); });
  trace.push_back("step 1: " + std::to_string(a));
  std::string second = "be";
  int b = co_await from_callback<int>([&](auto resume) { lookup_then_log(second, trace, resume); });
  trace.push_back("step 2: " + std::to_string(b));
}

TEST(Detached, AnInlineCompletionRunsTheContinuationInsideTheApiCall) {
  std::vector<std::string> callbacks, coroutines;
  audit_with_callbacks(callbacks);
  audit_with_coroutines(coroutines);
  coroutines.push_back("audit returned");
  EXPECT_EQ(coroutines, callbacks);
  // The body ends inside the second call, and what both calls do after their
  // callbacks still comes after it, innermost first, as with callbacks.
  EXPECT_EQ(callbacks, (std::vector<std::string>{
                           "api: lookup alpha", "step 1: 5", "api: lookup be", "step 2: 2",
                           "api: after callback for be", "api: after callback for alpha",
                           "audit returned"}));
}

TEST(Detached, TheFrameOutlivesTheBodyUntilTheStartingCallReturns) {
  int destroyed = 0;
  bool destroyed_inside = true;
  auto body = [&]() -> detached {
    witness w{&destroyed};
    co_await from_callback<>([&](auto resume) {
      resume();
      destroyed_inside = destroyed != 0;  // the body has ended by now
    });
  };
  body();
  EXPECT_TRUE(destroyed_inside);  // locals die where the body ends...
  EXPECT_EQ(destroyed, 1);        // ...once.
  // The frame itself is freed only once the call of `resume` has returned:
  // the runtime still reads the promise then, which AddressSanitizer would
  // report as a use after free in the sanitizer variants, and LeakSanitizer
  // reports a frame never freed.
}

// The API reports what its callback threw and lets it go on.
void lookup_reporting(int key, std::vector<std::string>& trace, const std::function<void(int)>& callback) {
  try {
    callback(key + 1);
  } catch (const std::exception& e) {
    trace.push_back(std::string("api: callback threw ") + e.what());
    throw;
  }
}

// The first step completes from the loop; the next two inline.
void validate_with_callbacks(event_loop& loop, int key, std::vector<std::string>& trace) {
  loop.post([&trace, key] {
    lookup_reporting(key, trace, [&trace](int a) {
      trace.push_back("first " + std::to_string(a));
      lookup_reporting(a, trace, [](int b) {
        if (b > 2) throw std::out_of_range(std::to_string(b));
      });
    });
  });
}

detached validate_with_coroutines(event_loop& loop, int key, std::vector<std::string>& trace) {
  co_await from_callback<>([&](auto resume) { loop.post(resume); });
  int a = co_await from_callback<int>([&](auto resume) { lookup_reporting(key, trace, resume); });
  trace.push_back("first " + std::to_string(a));
  int b = co_await from_callback<int>([&](auto resume) { lookup_reporting(a, trace, resume); });
  if (b > 2) throw std::out_of_range(std::to_string(b));
}

template <class Validate>
std::vector<std::string> validation_trace(Validate validate) {
  std::vector<std::string> trace;
  for (int key : {0, 5}) {
    event_loop loop;
    validate(loop, key, trace);
    try {
      loop.run();
      trace.push_back("run returned");
    } catch (const std::out_of_range& e) {
      trace.push_back(std::string("run threw ") + e.what());
    }
  }
  return trace;
}

TEST(Detached, AnExceptionThroughAnApiThatCalledBackInlineLeavesTheCompletionCall) {
  auto callbacks = validation_trace(&validate_with_callbacks);
  auto coroutines = validation_trace(&validate_with_coroutines);
  EXPECT_EQ(coroutines, callbacks);
  EXPECT_EQ(callbacks, (std::vector<std::string>{"first 1", "run returned", "first 6",
                                                 "api: callback threw 7",
                                                 "api: callback threw 7", "run threw 7"}));
}

}  // namespace
