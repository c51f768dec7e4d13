// Coroutine twin of programs/http_server.cpp, in the manner of Beast's
// http/server/awaitable/http_server_awaitable.cpp: a session coroutine owns
// the stream and loops over read request, write response until the client
// or the response asks to close; a listener coroutine accepts. Errors come
// back as values (as_tuple, Boost >= 1.80) and end the session.
// One thread runs the io_context, so, as in Beast's awaitable examples,
// the sessions need no strand.
//
//   http_server [connections]

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
constexpr auto use_nothrow_awaitable = net::as_tuple(net::use_awaitable);

// Report a failure
void fail(beast::error_code ec, char const* what) {
  std::cout << "error: " << what << ": " << ec.message() << "\n";
}

// Returns a response for the given request
http::response<http::string_body>
handle_request(http::request<http::string_body>&& req) {
  http::response<http::string_body> res;
  res.version(req.version());
  res.set(http::field::server, "awaitify-test");
  res.set(http::field::content_type, "text/plain");
  res.keep_alive(req.keep_alive());
  if (req.method() != http::verb::get) {
    res.result(http::status::bad_request);
    res.body() = "Unknown HTTP-method";
  } else if (req.target() == "/missing") {
    res.result(http::status::not_found);
    res.body() = "The resource '" + std::string(req.target()) + "' was not found.";
  } else {
    res.result(http::status::ok);
    res.body() = "you asked for " + std::string(req.target());
  }
  res.prepare_payload();
  return res;
}

void do_close(beast::tcp_stream& stream) {
  // Send a TCP shutdown
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::cout << "closed\n";

  // At this point the connection is closed gracefully
}

// Handles an HTTP server connection
net::awaitable<void> do_session(beast::tcp_stream stream) {
  beast::flat_buffer buffer;
  int served = 0;
  for (;;) {
    // Set the timeout.
    stream.expires_after(std::chrono::seconds(30));

    // Read a request
    http::request<http::string_body> req;
    auto [read_ec, bytes_read] =
        co_await http::async_read(stream, buffer, req, use_nothrow_awaitable);

    // This means they closed the connection
    if (read_ec == http::error::end_of_stream) {
      do_close(stream);
      break;
    }
    if (read_ec) {
      fail(read_ec, "read");
      break;
    }
    std::cout << req.method_string() << " " << req.target() << "\n";

    // Send the response
    http::response<http::string_body> res = handle_request(std::move(req));
    ++served;
    std::cout << "response " << res.result_int() << "\n";
    const bool close = res.need_eof();
    auto [write_ec, bytes_written] =
        co_await http::async_write(stream, res, use_nothrow_awaitable);
    if (write_ec) {
      fail(write_ec, "write");
      break;
    }

    // This means we should close the connection, usually because
    // the response indicated the "Connection: close" semantic.
    if (close) {
      do_close(stream);
      break;
    }
  }
  std::cout << "session done after " << served << " requests\n";
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
    net::co_spawn(acceptor.get_executor(), do_session(beast::tcp_stream(std::move(socket))),
                  net::detached);
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
