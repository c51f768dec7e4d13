// HTTP GET client in the style of Beast's callback example
// (http/client/async/http_client_async.cpp): resolve, connect, write the
// request, read the response, each step a member handler bound with
// beast::bind_front_handler.
//
//   http_client <host> <port> <target>
//
// Prints the status and body of the response, or "error: <step>: <reason>".

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

// Report a failure
void fail(beast::error_code ec, char const* what) {
  std::cout << "error: " << what << ": " << ec.message() << "\n";
}

// Performs an HTTP GET and prints the response
class session : public std::enable_shared_from_this<session> {
  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_; // (Must persist between reads)
  http::request<http::empty_body> req_;
  http::response<http::string_body> res_;

public:
  // Objects are constructed with a strand to
  // ensure that handlers do not execute concurrently.
  explicit session(net::io_context& ioc)
      : resolver_(net::make_strand(ioc)), stream_(net::make_strand(ioc)) {}

  ~session() { std::cout << "session done\n"; }

  // Start the asynchronous operation
  void run(char const* host, char const* port, char const* target) {
    // Set up an HTTP GET request message
    req_.version(11);
    req_.method(http::verb::get);
    req_.target(target);
    req_.set(http::field::host, host);
    req_.set(http::field::user_agent, "awaitify-test");

    // Look up the domain name
    resolver_.async_resolve(host, port,
        beast::bind_front_handler(&session::on_resolve, shared_from_this()));
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return fail(ec, "resolve");

    // Set a timeout on the operation
    stream_.expires_after(std::chrono::seconds(10));

    // Make the connection on the IP address we get from a lookup
    stream_.async_connect(results,
        beast::bind_front_handler(&session::on_connect, shared_from_this()));
  }

  void on_connect(beast::error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (ec)
      return fail(ec, "connect");
    std::cout << "connected\n";

    // Set a timeout on the operation
    stream_.expires_after(std::chrono::seconds(10));

    // Send the HTTP request to the remote host
    http::async_write(stream_, req_,
        beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t bytes_transferred) {
    boost::ignore_unused(bytes_transferred);
    if (ec)
      return fail(ec, "write");
    std::cout << "request sent\n";

    // Receive the HTTP response
    http::async_read(stream_, buffer_, res_,
        beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t bytes_transferred) {
    boost::ignore_unused(bytes_transferred);
    if (ec)
      return fail(ec, "read");

    // Write the message to standard out
    std::cout << "status " << res_.result_int() << "\n";
    std::cout << "content-type " << res_[http::field::content_type] << "\n";
    std::cout << "body '" << res_.body() << "'\n";

    // Gracefully close the socket
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);

    // not_connected happens sometimes so don't bother reporting it.
    if (ec && ec != beast::errc::not_connected)
      return fail(ec, "shutdown");

    // If we get here then the connection is closed gracefully
  }
};

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "Usage: http_client <host> <port> <target>\n";
    return EXIT_FAILURE;
  }
  net::io_context ioc;

  // Launch the asynchronous operation
  std::make_shared<session>(ioc)->run(argv[1], argv[2], argv[3]);

  // Run the I/O service. The call will return when
  // the get operation is complete.
  ioc.run();
  std::cout << "client done\n";
  return EXIT_SUCCESS;
}
