// TCP client with a deadline, in the style of Asio's timeouts example
// (timeouts/async_tcp_client.cpp): one steady_timer is the deadline of
// whatever operation is in progress and a deadline actor closes the socket
// when it passes; a second timer paces heartbeat writes. Handlers are
// member functions bound with std::bind; the deadline actor's handler takes
// no arguments.
//
//   deadline_client host port [read-timeout-ms]
//
// Connects to each endpoint of host:port in turn, then prints every
// non-empty line it receives and sends a heartbeat ("\n") every 50 ms. A
// read that takes longer than read-timeout-ms (default 1000) ends the
// session. The log leaves out ports and timings.

#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <boost/asio.hpp>

using boost::asio::steady_timer;
using boost::asio::ip::tcp;
using std::placeholders::_1;
using std::placeholders::_2;

class client {
public:
  client(boost::asio::io_context& io_context,
         std::chrono::milliseconds read_timeout)
      : socket_(io_context), deadline_(io_context),
        heartbeat_timer_(io_context), read_timeout_(read_timeout) {}

  // Called by the user of the client class to initiate the connection
  // process. The endpoints will have been obtained using a tcp::resolver.
  void start(tcp::resolver::results_type endpoints) {
    // Start the connect actor.
    endpoints_ = endpoints;
    start_connect(endpoints_.begin());

    // Start the deadline actor. You will note that we're not setting any
    // particular deadline here. Instead, the connect and input actors will
    // update the deadline prior to each asynchronous operation.
    deadline_.async_wait(std::bind(&client::check_deadline, this));
  }

  // This function terminates all the actors to shut down the connection.
  void stop() {
    stopped_ = true;
    boost::system::error_code ignored_error;
    socket_.close(ignored_error);
    deadline_.cancel();
    heartbeat_timer_.cancel();
    std::cout << "stopped\n";
  }

private:
  void start_connect(tcp::resolver::results_type::iterator endpoint_iter) {
    if (endpoint_iter != endpoints_.end()) {
      std::cout << "trying " << endpoint_iter->endpoint().address() << "\n";

      // Set a deadline for the connect operation.
      deadline_.expires_after(std::chrono::seconds(10));

      // Start the asynchronous connect operation.
      socket_.async_connect(endpoint_iter->endpoint(),
          std::bind(&client::handle_connect, this, _1, endpoint_iter));
    } else {
      // There are no more endpoints to try. Shut down the client.
      std::cout << "no more endpoints\n";
      stop();
    }
  }

  void handle_connect(const boost::system::error_code& error,
                      tcp::resolver::results_type::iterator endpoint_iter) {
    if (stopped_)
      return;

    // The async_connect() function automatically opens the socket at the
    // start of the asynchronous operation. If the socket is closed at this
    // time then the timeout handler must have run first.
    if (!socket_.is_open()) {
      std::cout << "connect timed out\n";

      // Try the next available endpoint.
      start_connect(++endpoint_iter);
    }

    // Check if the connect operation failed before the deadline expired.
    else if (error) {
      std::cout << "connect error: " << error.message() << "\n";

      // We need to close the socket used in the previous connection
      // attempt before starting a new one.
      socket_.close();

      // Try the next available endpoint.
      start_connect(++endpoint_iter);
    }

    // Otherwise we have successfully established a connection.
    else {
      std::cout << "connected to " << endpoint_iter->endpoint().address() << "\n";

      // Start the input actor.
      start_read();

      // Start the heartbeat actor.
      start_write();
    }
  }

  void start_read() {
    // Set a deadline for the read operation.
    deadline_.expires_after(read_timeout_);

    // Start an asynchronous operation to read a newline-delimited message.
    boost::asio::async_read_until(socket_,
        boost::asio::dynamic_buffer(input_buffer_), '\n',
        std::bind(&client::handle_read, this, _1, _2));
  }

  void handle_read(const boost::system::error_code& error, std::size_t n) {
    if (stopped_)
      return;

    if (!error) {
      // Extract the newline-delimited message from the buffer.
      std::string line(input_buffer_.substr(0, n - 1));
      input_buffer_.erase(0, n);

      // Empty messages are heartbeats and so ignored.
      if (!line.empty()) {
        ++lines_;
        std::cout << "received '" << line << "'\n";
      }

      start_read();
    } else {
      std::cout << "error on receive: " << error.message() << " after "
                << lines_ << " lines\n";
      stop();
    }
  }

  void start_write() {
    if (stopped_)
      return;

    // Start an asynchronous operation to send a heartbeat message.
    boost::asio::async_write(socket_, boost::asio::buffer("\n", 1),
        std::bind(&client::handle_write, this, _1));
  }

  void handle_write(const boost::system::error_code& error) {
    if (stopped_)
      return;

    if (!error) {
      // Wait before sending the next heartbeat.
      heartbeat_timer_.expires_after(std::chrono::milliseconds(50));
      heartbeat_timer_.async_wait(std::bind(&client::start_write, this));
    } else {
      std::cout << "error on heartbeat: " << error.message() << "\n";
      stop();
    }
  }

  void check_deadline() {
    if (stopped_)
      return;

    // Check whether the deadline has passed. We compare the deadline
    // against the current time since a new asynchronous operation may have
    // moved the deadline before this actor had a chance to run.
    if (deadline_.expiry() <= steady_timer::clock_type::now()) {
      // The deadline has passed. The socket is closed so that any
      // outstanding asynchronous operations are cancelled.
      std::cout << "deadline passed\n";
      socket_.close();

      // There is no longer an active deadline. The expiry is set to the
      // maximum time point so that the actor takes no action until a new
      // deadline is set.
      deadline_.expires_at(steady_timer::time_point::max());
    }

    // Put the actor back to sleep.
    deadline_.async_wait(std::bind(&client::check_deadline, this));
  }

  bool stopped_ = false;
  tcp::resolver::results_type endpoints_;
  tcp::socket socket_;
  std::string input_buffer_;
  steady_timer deadline_;
  steady_timer heartbeat_timer_;
  std::chrono::milliseconds read_timeout_;
  int lines_ = 0;
};

int main(int argc, char* argv[]) {
  try {
    if (argc < 3) {
      std::cerr << "Usage: deadline_client <host> <port> [read-timeout-ms]\n";
      return 1;
    }
    boost::asio::io_context io_context;
    tcp::resolver r(io_context);
    client c(io_context,
             std::chrono::milliseconds(argc > 3 ? std::atoi(argv[3]) : 1000));

    c.start(r.resolve(argv[1], argv[2]));

    io_context.run();
    std::cout << "client done\n";
  } catch (std::exception& e) {
    std::cerr << "Exception: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
