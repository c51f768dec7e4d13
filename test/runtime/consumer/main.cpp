// Uses every public header through the umbrella include; prints one line.
#include <awaitify/awaitify.hpp>

#include <cstdio>
#include <functional>
#include <string>

namespace {

void fetch(int id, std::function<void(std::string)> callback) {
  callback("user-" + std::to_string(id));
}

awaitify::task<std::string> greet(awaitify::event_loop& loop, int id) {
  std::string name = co_await awaitify::from_callback<std::string>(
      [&](auto resume) { loop.post([resume, id] { fetch(id, resume); }); });
  co_return "hello " + name;
}

}  // namespace

int main() {
  awaitify::event_loop loop;
  std::string greeting;
  awaitify::spawn(greet(loop, 7), [&](awaitify::result<std::string> r) { greeting = r.value(); });
  loop.run();
  int answer = awaitify::sync_wait(
      awaitify::from_callback<int>([](auto resume) { resume(42); }));
  std::printf("%s %d\n", greeting.c_str(), answer);
  return greeting == "hello user-7" && answer == 42 ? 0 : 1;
}
