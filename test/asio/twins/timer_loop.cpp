// Coroutine twin of programs/timer_loop.cpp: the ticker is a loop that
// waits 1 ms per tick, the watchdog a coroutine of its own that the ticker
// cancels when it is done. The faulty step loop throws on its third tick;
// the exception leaves the coroutine, and the completion handler given to
// co_spawn rethrows it out of io_context::run(), as the callback program's
// handler did. Errors come back as values (as_tuple, Boost >= 1.80).
//   timer_loop [n]

#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <utility>
#include <boost/asio.hpp>

using boost::asio::awaitable;
using boost::asio::co_spawn;
using boost::asio::detached;
using namespace std::chrono_literals;
constexpr auto use_nothrow_awaitable = boost::asio::as_tuple(boost::asio::use_awaitable);

class ticker {
public:
  ticker(boost::asio::io_context& io_context, int n)
      : timer_(io_context), watchdog_(io_context), n_(n) {}

  void start() {
    watchdog_.expires_after(10s);
    co_spawn(watchdog_.get_executor(), watch(), detached);
    co_spawn(timer_.get_executor(), tick(), detached);
  }

private:
  awaitable<void> watch() {
    auto [ec] = co_await watchdog_.async_wait(use_nothrow_awaitable);
    if (ec == boost::asio::error::operation_aborted)
      std::cout << "watchdog cancelled\n";
    else
      std::cout << "watchdog fired after " << ticks_ << " ticks\n";
  }

  awaitable<void> tick() {
    for (int i = 0; i < n_; ++i) {
      ++ticks_;
      std::cout << "tick " << i << "\n";
      timer_.expires_after(1ms);
      auto [ec] = co_await timer_.async_wait(use_nothrow_awaitable);
      if (ec) {
        std::cout << "timer: " << ec.message() << "\n";
        co_return;
      }
    }
    std::cout << "done after " << ticks_ << " ticks\n";
    watchdog_.cancel();
  }

  boost::asio::steady_timer timer_;
  boost::asio::steady_timer watchdog_;
  int n_;
  int ticks_ = 0;
};

// A step loop that throws on the third tick: the exception comes out of
// io_context::run().
class faulty {
public:
  explicit faulty(boost::asio::io_context& io_context) : timer_(io_context) {}

  awaitable<void> run() {
    for (int i = 0;; ++i) {
      std::cout << "faulty step " << i << "\n";
      timer_.expires_after(1ms);
      auto [ec] = co_await timer_.async_wait(use_nothrow_awaitable);
      if (i == 2)
        throw std::runtime_error("boom");
      if (ec)
        co_return;
    }
  }

private:
  boost::asio::steady_timer timer_;
};

static void rethrow(std::exception_ptr e) {
  if (e)
    std::rethrow_exception(e);
}

int main(int argc, char* argv[]) {
  {
    boost::asio::io_context io_context;
    faulty f(io_context);
    co_spawn(io_context, f.run(), rethrow);
    try {
      io_context.run();
      std::cout << "faulty: run returned normally\n";
    } catch (const std::exception& e) {
      std::cout << "faulty: caught " << e.what() << "\n";
    }
  }
  boost::asio::io_context io_context;
  ticker t(io_context, argc > 1 ? std::atoi(argv[1]) : 5);
  t.start();
  io_context.run();
  std::cout << "loop done\n";
  return 0;
}
