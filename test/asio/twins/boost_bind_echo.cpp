// Coroutine twin of programs/boost_bind_echo.cpp, written the way Asio's
// cpp20 coroutine examples are: a session is a coroutine that owns its
// socket, the server is a coroutine that accepts in a loop and spawns one
// session per connection. Same log as the callback program against the same
// peer. Needs as_tuple: Boost >= 1.80.
//
//   boost_bind_echo [connections]

#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>
#include <boost/asio.hpp>

using boost::asio::awaitable;
using boost::asio::co_spawn;
using boost::asio::detached;
using boost::asio::ip::tcp;
constexpr auto use_nothrow_awaitable = boost::asio::as_tuple(boost::asio::use_awaitable);

static void log(const std::string& line) { std::cout << line << "\n"; }

awaitable<void> session(tcp::socket socket) {
  char data[1024];
  std::size_t total = 0;
  for (;;) {
    auto [read_error, n] = co_await socket.async_read_some(
        boost::asio::buffer(data), use_nothrow_awaitable);
    if (read_error) {
      log("read: " + read_error.message());
      break;
    }
    total += n;
    auto [write_error, written] = co_await boost::asio::async_write(
        socket, boost::asio::buffer(data, n), use_nothrow_awaitable);
    if (write_error) {
      log("write: " + write_error.message());
      break;
    }
    log("echoed, " + std::to_string(total) + " bytes so far");
  }
  log("session done, " + std::to_string(total) + " bytes echoed");
}

awaitable<void> listener(tcp::acceptor acceptor, int connections) {
  for (int i = 0; i < connections; ++i) {
    auto [error, socket] = co_await acceptor.async_accept(use_nothrow_awaitable);
    if (error) {
      log("accept: " + error.message());
      continue;
    }
    log("accepted");
    co_spawn(acceptor.get_executor(), session(std::move(socket)), detached);
  }
}

int main(int argc, char* argv[]) {
  try {
    boost::asio::io_context io_context;
    tcp::acceptor acceptor(io_context,
                           tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    std::cerr << "port " << acceptor.local_endpoint().port() << std::endl;
    co_spawn(io_context, listener(std::move(acceptor), argc > 1 ? std::atoi(argv[1]) : 1),
             detached);
    io_context.run();
    log("server done");
  } catch (std::exception& e) {
    std::cerr << "Exception: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
