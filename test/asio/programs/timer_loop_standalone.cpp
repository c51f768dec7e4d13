// timer_loop.cpp written against standalone Asio (asio::, std::error_code),
// in the manner of Asio's timer tutorials: a steady_timer ticks n times, one
// tick per millisecond, each tick a step function that re-arms the timer
// from its handler; a watchdog timer guards the whole run and is cancelled
// when the ticks are done; a second step function throws from its handler.
//
//   timer_loop_standalone [n]

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <utility>
#include <asio.hpp>

using namespace std::chrono_literals;

class ticker {
public:
  ticker(asio::io_context& io_context, int n)
      : timer_(io_context), watchdog_(io_context), n_(n) {}

  void start() {
    watchdog_.expires_after(10s);
    watchdog_.async_wait([this](std::error_code ec) {
      if (ec == asio::error::operation_aborted)
        std::cout << "watchdog cancelled\n";
      else
        std::cout << "watchdog fired after " << ticks_ << " ticks\n";
    });
    tick(0);
  }

private:
  void tick(int i) {
    if (i == n_)
      return done();
    ++ticks_;
    std::cout << "tick " << i << "\n";
    timer_.expires_after(1ms);
    timer_.async_wait([this, i](std::error_code ec) {
      if (!ec)
        tick(i + 1);
      else
        std::cout << "timer: " << ec.message() << "\n";
    });
  }

  void done() {
    std::cout << "done after " << ticks_ << " ticks\n";
    watchdog_.cancel();
  }

  asio::steady_timer timer_;
  asio::steady_timer watchdog_;
  int n_;
  int ticks_ = 0;
};

// A step function whose handler throws on the third tick: the exception
// leaves the handler and comes out of io_context::run(), before and after
// the rewrite.
class faulty {
public:
  explicit faulty(asio::io_context& io_context) : timer_(io_context) {}

  void step(int i) {
    std::cout << "faulty step " << i << "\n";
    timer_.expires_after(1ms);
    timer_.async_wait([this, i](std::error_code ec) {
      if (i == 2)
        throw std::runtime_error("boom");
      if (!ec)
        step(i + 1);
    });
  }

private:
  asio::steady_timer timer_;
};

int main(int argc, char* argv[]) {
  {
    asio::io_context io_context;
    faulty f(io_context);
    f.step(0);
    try {
      io_context.run();
      std::cout << "faulty: run returned normally\n";
    } catch (const std::exception& e) {
      std::cout << "faulty: caught " << e.what() << "\n";
    }
  }
  asio::io_context io_context;
  ticker t(io_context, argc > 1 ? std::atoi(argv[1]) : 5);
  t.start();
  io_context.run();
  std::cout << "loop done\n";
  return 0;
}
