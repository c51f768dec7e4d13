// HTTP server in the style of Beast's callback example
// (http/server/async/http_server_async.cpp): a listener accepts in a loop;
// a session reads a request, sends the response and reads the next one on
// the same connection until the client or the response asks to close.
//
//   http_server [connections]
//
// Listens on 127.0.0.1 on a port the OS chooses and writes "port N" to
// stderr; serves `connections` connections (default 1), then exits.

#include <boost/asio/dispatch.hpp>
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

// Handles an HTTP server connection
class session : public std::enable_shared_from_this<session> {
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  int served_ = 0;

public:
  // Take ownership of the stream
  explicit session(tcp::socket&& socket) : stream_(std::move(socket)) {}

  ~session() { std::cout << "session done after " << served_ << " requests\n"; }

  // Start the asynchronous operation
  void run() {
    // We need to be executing within a strand to perform async operations
    // on the I/O objects in this session.
    net::dispatch(stream_.get_executor(),
        beast::bind_front_handler(&session::do_read, shared_from_this()));
  }

  void do_read() {
    // Make the request empty before reading,
    // otherwise the operation behavior is undefined.
    req_ = {};

    // Set the timeout.
    stream_.expires_after(std::chrono::seconds(30));

    // Read a request
    http::async_read(stream_, buffer_, req_,
        beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t bytes_transferred) {
    boost::ignore_unused(bytes_transferred);

    // This means they closed the connection
    if (ec == http::error::end_of_stream)
      return do_close();

    if (ec)
      return fail(ec, "read");

    std::cout << req_.method_string() << " " << req_.target() << "\n";

    // Send the response
    send_response(handle_request(std::move(req_)));
  }

  void send_response(http::response<http::string_body>&& res) {
    // The response must live until the write completes.
    res_ = std::move(res);
    ++served_;
    std::cout << "response " << res_.result_int() << "\n";

    // Write the response
    http::async_write(stream_, res_,
        beast::bind_front_handler(&session::on_write, shared_from_this(),
                                  res_.need_eof()));
  }

  void on_write(bool close, beast::error_code ec, std::size_t bytes_transferred) {
    boost::ignore_unused(bytes_transferred);

    if (ec)
      return fail(ec, "write");

    if (close) {
      // This means we should close the connection, usually because
      // the response indicated the "Connection: close" semantic.
      return do_close();
    }

    // Read another request
    do_read();
  }

  void do_close() {
    // Send a TCP shutdown
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::cout << "closed\n";

    // At this point the connection is closed gracefully
  }
};

// Accepts incoming connections and launches the sessions
class listener : public std::enable_shared_from_this<listener> {
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  int remaining_;

public:
  listener(net::io_context& ioc, tcp::endpoint endpoint, int connections)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), remaining_(connections) {
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
