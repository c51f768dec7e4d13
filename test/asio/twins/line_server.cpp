// Coroutine twin of programs/line_server.cpp: one coroutine per connection
// reads a line, answers it upper-cased (or "BYE" to "quit", which ends the
// session), and loops. Errors come back as values (as_tuple, Boost >= 1.80).
//
//   line_server [connections]

#include <cctype>
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

awaitable<void> line_session(tcp::socket socket) {
  boost::asio::streambuf buf;
  int lines = 0;
  for (;;) {
    auto [read_error, n] = co_await boost::asio::async_read_until(
        socket, buf, '\n', use_nothrow_awaitable);
    if (read_error) {
      std::cout << "read: " << read_error.message() << "\n";
      break;
    }
    std::string line(boost::asio::buffers_begin(buf.data()),
                     boost::asio::buffers_begin(buf.data()) + n - 1);
    buf.consume(n);
    ++lines;
    std::cout << "line '" << line << "'\n";

    const bool quit = line == "quit";
    if (!quit) {
      for (char& c : line)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    std::string reply = quit ? "BYE\n" : line + "\n";
    auto [write_error, written] = co_await boost::asio::async_write(
        socket, boost::asio::buffer(reply), use_nothrow_awaitable);
    if (write_error) {
      std::cout << "write: " << write_error.message() << "\n";
      break;
    }
    if (quit) {
      std::cout << "said goodbye\n";
      break;
    }
  }
  std::cout << "session done after " << lines << " lines\n";
}

awaitable<void> line_server(tcp::acceptor acceptor, int connections) {
  for (int i = 0; i < connections; ++i) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow_awaitable);
    if (ec) {
      std::cout << "accept: " << ec.message() << "\n";
      continue;
    }
    std::cout << "accepted\n";
    co_spawn(acceptor.get_executor(), line_session(std::move(socket)), detached);
  }
}

int main(int argc, char* argv[]) {
  try {
    boost::asio::io_context io_context;
    tcp::acceptor acceptor(io_context,
                           tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    std::cerr << "port " << acceptor.local_endpoint().port() << std::endl;
    co_spawn(io_context,
             line_server(std::move(acceptor), argc > 1 ? std::atoi(argv[1]) : 1),
             detached);
    io_context.run();
    std::cout << "server done\n";
  } catch (std::exception& e) {
    std::cerr << "Exception: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
