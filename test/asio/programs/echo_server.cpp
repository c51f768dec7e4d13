// Asynchronous TCP echo server in the style of Asio's own callback example
// (cpp11/echo/async_tcp_echo_server.cpp): a session reads, writes back what
// it read and reads again; the server accepts in a loop.
//
//   echo_server [connections] [-q]
//
// Listens on 127.0.0.1 on a port the OS chooses and writes "port N" to
// stderr. Serves `connections` connections (default 1), then exits. The log
// on stdout says what happened, without ports or timings; -q silences it.

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <boost/asio.hpp>

using boost::asio::ip::tcp;

static bool quiet = false;

static void log(const std::string& line) {
  if (!quiet)
    std::cout << line << "\n";
}

class session : public std::enable_shared_from_this<session> {
public:
  explicit session(tcp::socket socket) : socket_(std::move(socket)) {}

  ~session() { log("session done, " + std::to_string(total_) + " bytes echoed"); }

  void start() { do_read(); }

private:
  void do_read() {
    auto self(shared_from_this());
    socket_.async_read_some(boost::asio::buffer(data_, max_length),
        [this, self](boost::system::error_code ec, std::size_t length) {
          if (!ec) {
            do_write(length);
          } else {
            log("read: " + ec.message());
          }
        });
  }

  void do_write(std::size_t length) {
    auto self(shared_from_this());
    boost::asio::async_write(socket_, boost::asio::buffer(data_, length),
        [this, self](boost::system::error_code ec, std::size_t n) {
          if (!ec) {
            // Count what went back before asking for more.
            total_ += n;
            log("echoed " + std::to_string(n) + " bytes");
            do_read();
          } else {
            log("write: " + ec.message());
          }
        });
  }

  tcp::socket socket_;
  enum { max_length = 1024 };
  char data_[max_length];
  std::size_t total_ = 0;
};

class server {
public:
  server(boost::asio::io_context& io_context, int connections)
      : acceptor_(io_context,
                  tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)),
        remaining_(connections) {
    std::cerr << "port " << acceptor_.local_endpoint().port() << std::endl;
    do_accept();
  }

private:
  void do_accept() {
    acceptor_.async_accept(
        [this](boost::system::error_code ec, tcp::socket socket) {
          if (!ec) {
            log("accepted");
            std::make_shared<session>(std::move(socket))->start();
          } else {
            log("accept: " + ec.message());
          }
          if (--remaining_ > 0)
            do_accept();
        });
  }

  tcp::acceptor acceptor_;
  int remaining_;
};

int main(int argc, char* argv[]) {
  int connections = argc > 1 ? std::atoi(argv[1]) : 1;
  quiet = argc > 2 && std::strcmp(argv[2], "-q") == 0;
  try {
    boost::asio::io_context io_context;
    server s(io_context, connections);
    io_context.run();
    log("server done");
  } catch (std::exception& e) {
    std::cerr << "Exception: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
