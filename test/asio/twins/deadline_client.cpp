// Coroutine twin of programs/deadline_client.cpp. The three actors of the
// callback program are three coroutines over the same object: the session
// (connect to each endpoint in turn, then read lines), the heartbeat writer
// and the deadline actor, which closes the socket when the deadline of the
// operation in progress passes. Errors come back as values (as_tuple,
// Boost >= 1.80); stop() ends every actor.
//
//   deadline_client host port [read-timeout-ms]

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>
#include <boost/asio.hpp>

using boost::asio::awaitable;
using boost::asio::co_spawn;
using boost::asio::detached;
using boost::asio::steady_timer;
using boost::asio::ip::tcp;
constexpr auto use_nothrow_awaitable = boost::asio::as_tuple(boost::asio::use_awaitable);

class client {
public:
  client(boost::asio::io_context& io_context,
         std::chrono::milliseconds read_timeout)
      : socket_(io_context), deadline_(io_context),
        heartbeat_timer_(io_context), read_timeout_(read_timeout) {}

  void start(tcp::resolver::results_type endpoints) {
    co_spawn(socket_.get_executor(), session(std::move(endpoints)), detached);
    co_spawn(deadline_.get_executor(), check_deadline(), detached);
  }

  // Ends all the actors and closes the connection.
  void stop() {
    stopped_ = true;
    boost::system::error_code ignored_error;
    socket_.close(ignored_error);
    deadline_.cancel();
    heartbeat_timer_.cancel();
    std::cout << "stopped\n";
  }

private:
  awaitable<void> session(tcp::resolver::results_type endpoints) {
    for (const auto& entry : endpoints) {
      std::cout << "trying " << entry.endpoint().address() << "\n";
      deadline_.expires_after(std::chrono::seconds(10));
      auto [error] = co_await socket_.async_connect(entry.endpoint(), use_nothrow_awaitable);
      if (stopped_)
        co_return;

      // async_connect opens the socket; if it is closed now, the deadline
      // actor closed it.
      if (!socket_.is_open()) {
        std::cout << "connect timed out\n";
        continue;
      }
      if (error) {
        std::cout << "connect error: " << error.message() << "\n";
        socket_.close();
        continue;
      }

      std::cout << "connected to " << entry.endpoint().address() << "\n";
      co_spawn(socket_.get_executor(), heartbeat(), detached);
      co_await read_lines();
      co_return;
    }
    std::cout << "no more endpoints\n";
    stop();
  }

  awaitable<void> read_lines() {
    for (;;) {
      deadline_.expires_after(read_timeout_);
      auto [error, n] = co_await boost::asio::async_read_until(
          socket_, boost::asio::dynamic_buffer(input_buffer_), '\n',
          use_nothrow_awaitable);
      if (stopped_)
        co_return;
      if (error) {
        std::cout << "error on receive: " << error.message() << " after "
                  << lines_ << " lines\n";
        stop();
        co_return;
      }

      std::string line(input_buffer_.substr(0, n - 1));
      input_buffer_.erase(0, n);

      // Empty messages are heartbeats and so ignored.
      if (!line.empty()) {
        ++lines_;
        std::cout << "received '" << line << "'\n";
      }
    }
  }

  awaitable<void> heartbeat() {
    while (!stopped_) {
      auto [error, n] = co_await boost::asio::async_write(
          socket_, boost::asio::buffer("\n", 1), use_nothrow_awaitable);
      if (stopped_)
        co_return;
      if (error) {
        std::cout << "error on heartbeat: " << error.message() << "\n";
        stop();
        co_return;
      }
      heartbeat_timer_.expires_after(std::chrono::milliseconds(50));
      co_await heartbeat_timer_.async_wait(use_nothrow_awaitable);
    }
  }

  awaitable<void> check_deadline() {
    for (;;) {
      co_await deadline_.async_wait(use_nothrow_awaitable);
      if (stopped_)
        co_return;

      // A new operation may have moved the deadline since the wait began.
      if (deadline_.expiry() <= steady_timer::clock_type::now()) {
        std::cout << "deadline passed\n";
        socket_.close();
        deadline_.expires_at(steady_timer::time_point::max());
      }
    }
  }

  bool stopped_ = false;
  tcp::socket socket_;
  std::string input_buffer_;
  steady_timer deadline_;
  steady_timer heartbeat_timer_;
  std::chrono::milliseconds read_timeout_;
  int lines_ = 0;
};

int main(int argc, char* argv[]) {
  try {
    if (argc < 3) {
      std::cerr << "Usage: deadline_client <host> <port> [read-timeout-ms]\n";
      return 1;
    }
    boost::asio::io_context io_context;
    tcp::resolver r(io_context);
    client c(io_context,
             std::chrono::milliseconds(argc > 3 ? std::atoi(argv[3]) : 1000));

    c.start(r.resolve(argv[1], argv[2]));

    io_context.run();
    std::cout << "client done\n";
  } catch (std::exception& e) {
    std::cerr << "Exception: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
