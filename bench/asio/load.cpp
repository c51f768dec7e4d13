// Loopback load for the echo-server benchmark: `connections` threads, each
// with its own blocking TCP connection, each doing `round_trips` round
// trips of `size` bytes (send, then read the whole echo back).
//
//   load <port> <connections> <round_trips> <size>
//
// All connections are opened before the clock starts. When every round
// trip is done it prints "done <messages> <seconds>" and waits for a line on
// stdin before closing the connections, so that the driver can read the
// server's peak memory while the sessions are still open. Every socket has
// a 10 s timeout.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

static int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

static bool round_trips(int fd, int count, std::size_t size) {
  std::vector<char> out(size), in(size);
  for (int i = 0; i < count; ++i) {
    std::memset(out.data(), 'a' + i % 26, size);
    for (std::size_t sent = 0; sent < size;) {
      ssize_t n = ::send(fd, out.data() + sent, size - sent, MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      sent += static_cast<std::size_t>(n);
    }
    for (std::size_t got = 0; got < size;) {
      ssize_t n = ::recv(fd, in.data() + got, size - got, 0);
      if (n <= 0)
        return false;
      got += static_cast<std::size_t>(n);
    }
    if (std::memcmp(in.data(), out.data(), size) != 0)
      return false;
  }
  return true;
}

int main(int argc, char* argv[]) {
  if (argc != 5) {
    std::cerr << "usage: load <port> <connections> <round_trips> <size>\n";
    return 2;
  }
  int port = std::atoi(argv[1]);
  int connections = std::atoi(argv[2]);
  int count = std::atoi(argv[3]);
  std::size_t size = static_cast<std::size_t>(std::atoi(argv[4]));

  std::vector<int> fds;
  for (int i = 0; i < connections; ++i) {
    int fd = connect_to(port);
    if (fd < 0) {
      std::perror("connect");
      return 1;
    }
    fds.push_back(fd);
  }

  std::atomic<int> failures{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int fd : fds)
    threads.emplace_back([&, fd] {
      if (!round_trips(fd, count, size))
        ++failures;
    });
  for (auto& t : threads)
    t.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failures) {
    std::cerr << failures << " connection(s) failed\n";
    return 1;
  }
  std::printf("done %lld %.6f\n", static_cast<long long>(connections) * count, seconds);
  std::fflush(stdout);

  std::string line;
  std::getline(std::cin, line);
  for (int fd : fds)
    ::close(fd);
  return 0;
}
