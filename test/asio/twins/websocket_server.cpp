// Coroutine twin of programs/websocket_server.cpp, in the manner of Beast's
// websocket/server/awaitable/websocket_server_awaitable.cpp: a session
// coroutine accepts the handshake, then reads a message and writes it back
// until the peer closes; a listener coroutine accepts connections. Errors
// come back as values (as_tuple, Boost >= 1.80) and end the session.
// One thread runs the io_context, so, as in Beast's awaitable examples,
// the sessions need no strand.
//
//   websocket_server [connections]

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdlib>
#include <iostream>
#include <string>

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
constexpr auto use_nothrow_awaitable = net::as_tuple(net::use_awaitable);

// Report a failure
void fail(beast::error_code ec, char const* what) {
  std::cout << "error: " << what << ": " << ec.message() << "\n";
}

// Accepts the handshake and echoes back every message; returns how many.
net::awaitable<int> echo(websocket::stream<beast::tcp_stream> ws) {
  // Set suggested timeout settings for the websocket
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));

  // Set a decorator to change the Server of the handshake
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) {
        res.set(http::field::server, "awaitify-test");
      }));

  // Accept the websocket handshake
  auto [accept_ec] = co_await ws.async_accept(use_nothrow_awaitable);
  if (accept_ec) {
    fail(accept_ec, "accept");
    co_return 0;
  }
  std::cout << "handshake done\n";

  beast::flat_buffer buffer;
  int messages = 0;
  for (;;) {
    // Read a message into our buffer
    auto [read_ec, bytes_read] = co_await ws.async_read(buffer, use_nothrow_awaitable);

    // This indicates that the session was closed
    if (read_ec == websocket::error::closed) {
      std::cout << "closed by peer\n";
      co_return messages;
    }
    if (read_ec) {
      fail(read_ec, "read");
      co_return messages;
    }
    ++messages;
    std::cout << "echo '" << beast::buffers_to_string(buffer.data()) << "'\n";

    // Echo the message
    ws.text(ws.got_text());
    auto [write_ec, bytes_written] =
        co_await ws.async_write(buffer.data(), use_nothrow_awaitable);
    if (write_ec) {
      fail(write_ec, "write");
      co_return messages;
    }

    // Clear the buffer
    buffer.consume(buffer.size());
  }
}

net::awaitable<void> do_session(tcp::socket socket) {
  const int messages = co_await echo(websocket::stream<beast::tcp_stream>(std::move(socket)));
  std::cout << "session done after " << messages << " messages\n";
}

// Accepts incoming connections and launches the sessions
net::awaitable<void> do_listen(tcp::acceptor acceptor, int connections) {
  for (int i = 0; i < connections; ++i) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow_awaitable);
    if (ec) {
      fail(ec, "accept");
      continue;
    }
    std::cout << "accepted\n";
    net::co_spawn(acceptor.get_executor(), do_session(std::move(socket)), net::detached);
  }
}

int main(int argc, char* argv[]) {
  int connections = argc > 1 ? std::atoi(argv[1]) : 1;
  net::io_context ioc{1};
  try {
    tcp::acceptor acceptor(ioc);
    tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), 0};
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
    std::cerr << "port " << acceptor.local_endpoint().port() << std::endl;
    net::co_spawn(ioc, do_listen(std::move(acceptor), connections), net::detached);
  } catch (std::exception& e) {
    std::cerr << "Exception: " << e.what() << "\n";
    return EXIT_FAILURE;
  }
  ioc.run();
  std::cout << "server done\n";
  return EXIT_SUCCESS;
}
