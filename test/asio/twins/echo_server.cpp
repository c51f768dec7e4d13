// Coroutine twin of programs/echo_server.cpp, in the manner of Asio's
// cpp20/coroutines/echo_server.cpp: one coroutine per connection owns the
// socket and loops over read and write; a listener coroutine accepts.
// Errors come back as values (as_tuple, Boost >= 1.80) and end the loop.
//
//   echo_server [connections] [-q]

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <utility>
#include <boost/asio.hpp>

using boost::asio::awaitable;
using boost::asio::co_spawn;
using boost::asio::detached;
using boost::asio::ip::tcp;
constexpr auto use_nothrow_awaitable = boost::asio::as_tuple(boost::asio::use_awaitable);

static bool quiet = false;

static void log(const std::string& line) {
  if (!quiet)
    std::cout << line << "\n";
}

awaitable<void> echo(tcp::socket socket) {
  char data[1024];
  std::size_t total = 0;
  for (;;) {
    auto [read_error, length] = co_await socket.async_read_some(
        boost::asio::buffer(data), use_nothrow_awaitable);
    if (read_error) {
      log("read: " + read_error.message());
      break;
    }
    auto [write_error, n] = co_await boost::asio::async_write(
        socket, boost::asio::buffer(data, length), use_nothrow_awaitable);
    if (write_error) {
      log("write: " + write_error.message());
      break;
    }
    // Count what went back before asking for more.
    total += n;
    log("echoed " + std::to_string(n) + " bytes");
  }
  log("session done, " + std::to_string(total) + " bytes echoed");
}

awaitable<void> listener(tcp::acceptor acceptor, int connections) {
  for (int i = 0; i < connections; ++i) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow_awaitable);
    if (ec) {
      log("accept: " + ec.message());
      continue;
    }
    log("accepted");
    co_spawn(acceptor.get_executor(), echo(std::move(socket)), detached);
  }
}

int main(int argc, char* argv[]) {
  int connections = argc > 1 ? std::atoi(argv[1]) : 1;
  quiet = argc > 2 && std::strcmp(argv[2], "-q") == 0;
  try {
    boost::asio::io_context io_context;
    tcp::acceptor acceptor(io_context,
                           tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    std::cerr << "port " << acceptor.local_endpoint().port() << std::endl;
    co_spawn(io_context, listener(std::move(acceptor), connections), detached);
    io_context.run();
    log("server done");
  } catch (std::exception& e) {
    std::cerr << "Exception: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
