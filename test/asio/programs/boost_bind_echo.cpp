// Asynchronous TCP echo server written the C++03 way, as Boost.Asio's
// original async_tcp_echo_server was: handlers are member functions bound
// with boost::bind and boost::asio::placeholders, a session is allocated
// with new before the accept and deletes itself when its connection ends.
//
//   boost_bind_echo [connections]
//
// Listens on 127.0.0.1 on a port the OS chooses and writes "port N" to
// stderr. Accepts `connections` connections (default 1) and then stops
// accepting, so that no session is left allocated when the last one ends;
// io_context::run() then returns.

#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>
#include <boost/asio.hpp>
#include <boost/bind/bind.hpp>

using boost::asio::ip::tcp;

static void log(const std::string& line) { std::cout << line << "\n"; }

class session {
public:
  explicit session(boost::asio::io_context& io_context)
      : socket_(io_context), total_(0) {}

  ~session() {
    log("session done, " + std::to_string(total_) + " bytes echoed");
  }

  tcp::socket& socket() { return socket_; }

  void start() {
    socket_.async_read_some(boost::asio::buffer(data_, max_length),
        boost::bind(&session::handle_read, this,
                    boost::asio::placeholders::error,
                    boost::asio::placeholders::bytes_transferred));
  }

private:
  void handle_read(const boost::system::error_code& error,
                   size_t bytes_transferred) {
    if (!error) {
      total_ += bytes_transferred;
      boost::asio::async_write(socket_,
          boost::asio::buffer(data_, bytes_transferred),
          boost::bind(&session::handle_write, this,
                      boost::asio::placeholders::error));
    } else {
      log("read: " + error.message());
      delete this;
    }
  }

  void handle_write(const boost::system::error_code& error) {
    if (!error) {
      log("echoed, " + std::to_string(total_) + " bytes so far");
      socket_.async_read_some(boost::asio::buffer(data_, max_length),
          boost::bind(&session::handle_read, this,
                      boost::asio::placeholders::error,
                      boost::asio::placeholders::bytes_transferred));
    } else {
      log("write: " + error.message());
      delete this;
    }
  }

  tcp::socket socket_;
  enum { max_length = 1024 };
  char data_[max_length];
  std::size_t total_;
};

class server {
public:
  server(boost::asio::io_context& io_context, int connections)
      : io_context_(io_context),
        acceptor_(io_context,
                  tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)),
        remaining_(connections) {
    std::cerr << "port " << acceptor_.local_endpoint().port() << std::endl;
    start_accept();
  }

private:
  void start_accept() {
    session* new_session = new session(io_context_);
    acceptor_.async_accept(new_session->socket(),
        boost::bind(&server::handle_accept, this, new_session,
                    boost::asio::placeholders::error));
  }

  void handle_accept(session* new_session,
                     const boost::system::error_code& error) {
    if (!error) {
      log("accepted");
      new_session->start();
    } else {
      log("accept: " + error.message());
      delete new_session;
    }

    if (--remaining_ > 0)
      start_accept();
  }

  boost::asio::io_context& io_context_;
  tcp::acceptor acceptor_;
  int remaining_;
};

int main(int argc, char* argv[]) {
  try {
    boost::asio::io_context io_context;
    server s(io_context, argc > 1 ? std::atoi(argv[1]) : 1);
    io_context.run();
    log("server done");
  } catch (std::exception& e) {
    std::cerr << "Exception: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
