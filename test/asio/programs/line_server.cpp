// Line-based TCP server: reads a line with async_read_until, answers it
// upper-cased, reads the next one. "quit" gets "BYE" and ends the session.
//
//   line_server [connections]
//
// Listens on 127.0.0.1 on a port the OS chooses and writes "port N" to
// stderr; serves `connections` connections (default 1), then exits.

#include <cctype>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <boost/asio.hpp>

using boost::asio::ip::tcp;

class line_session : public std::enable_shared_from_this<line_session> {
public:
  explicit line_session(tcp::socket socket) : socket_(std::move(socket)) {}
  ~line_session() { std::cout << "session done after " << lines_ << " lines\n"; }

  void start() { do_read(); }

private:
  void do_read() {
    auto self(shared_from_this());
    boost::asio::async_read_until(socket_, buf_, '\n',
        [this, self](boost::system::error_code ec, std::size_t n) {
          if (ec) {
            std::cout << "read: " << ec.message() << "\n";
            return;
          }
          std::string line(boost::asio::buffers_begin(buf_.data()),
                           boost::asio::buffers_begin(buf_.data()) + n - 1);
          buf_.consume(n);
          ++lines_;
          std::cout << "line '" << line << "'\n";
          if (line == "quit") {
            reply_ = "BYE\n";
            return do_write(false);
          }
          for (char& c : line)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          reply_ = line + "\n";
          do_write(true);
        });
  }

  void do_write(bool more) {
    auto self(shared_from_this());
    boost::asio::async_write(socket_, boost::asio::buffer(reply_),
        [this, self, more](boost::system::error_code ec, std::size_t) {
          if (ec) {
            std::cout << "write: " << ec.message() << "\n";
            return;
          }
          if (more)
            do_read();
          else
            std::cout << "said goodbye\n";
        });
  }

  tcp::socket socket_;
  boost::asio::streambuf buf_;
  std::string reply_;
  int lines_ = 0;
};

class line_server {
public:
  line_server(boost::asio::io_context& io_context, int connections)
      : acceptor_(io_context,
                  tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)),
        remaining_(connections) {
    std::cerr << "port " << acceptor_.local_endpoint().port() << std::endl;
  }

  void start() { do_accept(); }

private:
  void do_accept() {
    acceptor_.async_accept(
        [this](boost::system::error_code ec, tcp::socket socket) {
          if (ec) {
            std::cout << "accept: " << ec.message() << "\n";
          } else {
            std::cout << "accepted\n";
            std::make_shared<line_session>(std::move(socket))->start();
          }
          if (--remaining_ > 0)
            do_accept();
        });
  }

  tcp::acceptor acceptor_;
  int remaining_;
};

int main(int argc, char* argv[]) {
  try {
    boost::asio::io_context io_context;
    line_server server(io_context, argc > 1 ? std::atoi(argv[1]) : 1);
    server.start();
    io_context.run();
    std::cout << "server done\n";
  } catch (std::exception& e) {
    std::cerr << "Exception: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
