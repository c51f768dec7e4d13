// WebSocket echo server in the style of Beast's callback example
// (websocket/server/async/websocket_server_async.cpp): accept the
// handshake, then read a message, write it back, read the next one.
//
//   websocket_server [connections]
//
// Listens on 127.0.0.1 on a port the OS chooses and writes "port N" to
// stderr; serves `connections` connections (default 1), then exits.

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

// Report a failure
void fail(beast::error_code ec, char const* what) {
  std::cout << "error: " << what << ": " << ec.message() << "\n";
}

// Echoes back all received WebSocket messages
class session : public std::enable_shared_from_this<session> {
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  int messages_ = 0;

public:
  // Take ownership of the socket
  explicit session(tcp::socket&& socket) : ws_(std::move(socket)) {}

  ~session() { std::cout << "session done after " << messages_ << " messages\n"; }

  // Get on the correct executor
  void run() {
    // We need to be executing within a strand to perform async operations
    // on the I/O objects in this session.
    net::dispatch(ws_.get_executor(),
        beast::bind_front_handler(&session::on_run, shared_from_this()));
  }

  // Start the asynchronous operation
  void on_run() {
    // Set suggested timeout settings for the websocket
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));

    // Set a decorator to change the Server of the handshake
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) {
          res.set(http::field::server, "awaitify-test");
        }));
    // Accept the websocket handshake
    ws_.async_accept(
        beast::bind_front_handler(&session::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec) {
    if (ec)
      return fail(ec, "accept");
    std::cout << "handshake done\n";

    // Read a message
    do_read();
  }

  void do_read() {
    // Read a message into our buffer
    ws_.async_read(buffer_,
        beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t bytes_transferred) {
    boost::ignore_unused(bytes_transferred);

    // This indicates that the session was closed
    if (ec == websocket::error::closed) {
      std::cout << "closed by peer\n";
      return;
    }

    if (ec)
      return fail(ec, "read");

    ++messages_;
    std::cout << "echo '" << beast::buffers_to_string(buffer_.data()) << "'\n";

    // Echo the message
    ws_.text(ws_.got_text());
    ws_.async_write(buffer_.data(),
        beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t bytes_transferred) {
    boost::ignore_unused(bytes_transferred);

    if (ec)
      return fail(ec, "write");

    // Clear the buffer
    buffer_.consume(buffer_.size());

    // Do another read
    do_read();
  }
};

// Accepts incoming connections and launches the sessions
class listener : public std::enable_shared_from_this<listener> {
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  int remaining_;

public:
  listener(net::io_context& ioc, tcp::endpoint endpoint, int connections)
      : ioc_(ioc), acceptor_(ioc), remaining_(connections) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
    std::cerr << "port " << acceptor_.local_endpoint().port() << std::endl;
  }

  // Start accepting incoming connections
  void run() { do_accept(); }

private:
  void do_accept() {
    // The new connection gets its own strand
    acceptor_.async_accept(net::make_strand(ioc_),
        beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec) {
      fail(ec, "accept");
    } else {
      std::cout << "accepted\n";
      // Create the session and run it
      std::make_shared<session>(std::move(socket))->run();
    }

    // Accept another connection
    if (--remaining_ > 0)
      do_accept();
  }
};

int main(int argc, char* argv[]) {
  int connections = argc > 1 ? std::atoi(argv[1]) : 1;
  net::io_context ioc{1};
  try {
    std::make_shared<listener>(
        ioc, tcp::endpoint{net::ip::make_address("127.0.0.1"), 0}, connections)
        ->run();
  } catch (std::exception& e) {
    std::cerr << "Exception: " << e.what() << "\n";
    return EXIT_FAILURE;
  }
  ioc.run();
  std::cout << "server done\n";
  return EXIT_SUCCESS;
}
