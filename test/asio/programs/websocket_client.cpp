// WebSocket client in the style of Beast's callback example
// (websocket/client/async/websocket_client_async.cpp): resolve, connect,
// handshake, then send a message and read its echo, `count` times, then
// close.
//
//   websocket_client <host> <port> <count>
//
// Prints each echo, or "error: <step>: <reason>".

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

// Sends WebSocket messages and prints their echoes
class session : public std::enable_shared_from_this<session> {
  tcp::resolver resolver_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::string host_;
  std::string text_;
  int count_ = 0;
  int sent_ = 0;

public:
  // Resolver and socket require an io_context
  explicit session(net::io_context& ioc)
      : resolver_(net::make_strand(ioc)), ws_(net::make_strand(ioc)) {}

  ~session() { std::cout << "session done after " << sent_ << " messages\n"; }

  // Start the asynchronous operation
  void run(char const* host, char const* port, int count) {
    host_ = host;
    count_ = count;

    // Look up the domain name
    resolver_.async_resolve(host, port,
        beast::bind_front_handler(&session::on_resolve, shared_from_this()));
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return fail(ec, "resolve");

    // Set the timeout for the operation
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));

    // Make the connection on the IP address we get from a lookup
    beast::get_lowest_layer(ws_).async_connect(results,
        beast::bind_front_handler(&session::on_connect, shared_from_this()));
  }

  void on_connect(beast::error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (ec)
      return fail(ec, "connect");
    std::cout << "connected\n";

    // Turn off the timeout on the tcp_stream, because
    // the websocket stream has its own timeout system.
    beast::get_lowest_layer(ws_).expires_never();

    // Set suggested timeout settings for the websocket
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));

    // Set a decorator to change the User-Agent of the handshake
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& req) {
          req.set(http::field::user_agent, "awaitify-test");
        }));

    // Perform the websocket handshake
    ws_.async_handshake(host_, "/echo",
        beast::bind_front_handler(&session::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    if (ec)
      return fail(ec, "handshake");
    std::cout << "handshake done\n";
    do_write();
  }

  void do_write() {
    text_ = "message " + std::to_string(sent_ + 1);
    // Send the message
    ws_.async_write(net::buffer(text_),
        beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t bytes_transferred) {
    boost::ignore_unused(bytes_transferred);
    if (ec)
      return fail(ec, "write");
    ++sent_;

    // Read a message into our buffer
    ws_.async_read(buffer_,
        beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t bytes_transferred) {
    boost::ignore_unused(bytes_transferred);
    if (ec)
      return fail(ec, "read");

    std::cout << "got '" << beast::buffers_to_string(buffer_.data()) << "'\n";
    buffer_.consume(buffer_.size());

    if (sent_ < count_)
      return do_write();

    // Close the WebSocket connection
    ws_.async_close(websocket::close_code::normal,
        beast::bind_front_handler(&session::on_close, shared_from_this()));
  }

  void on_close(beast::error_code ec) {
    if (ec)
      return fail(ec, "close");

    // If we get here then the connection is closed gracefully
    std::cout << "closed\n";
  }
};

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "Usage: websocket_client <host> <port> <count>\n";
    return EXIT_FAILURE;
  }
  net::io_context ioc;

  // Launch the asynchronous operation
  std::make_shared<session>(ioc)->run(argv[1], argv[2], std::atoi(argv[3]));

  // Run the I/O service. The call will return when
  // the socket is closed.
  ioc.run();
  std::cout << "client done\n";
  return EXIT_SUCCESS;
}
