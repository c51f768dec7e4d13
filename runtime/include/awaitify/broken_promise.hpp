// awaitify/broken_promise.hpp - the error of a completion that never came.
#pragma once

#include <stdexcept>

namespace awaitify {

// Thrown out of `co_await from_callback(...)` when every copy of the
// completion was destroyed without being called: the API dropped its callback,
// so no result will ever come. Resuming with this error, rather than never
// resuming, is what keeps such a coroutine from hanging and leaking its frame.
class broken_promise : public std::logic_error {
 public:
  broken_promise()
      : std::logic_error(
            "awaitify::broken_promise: the completion was destroyed without being called") {}
};

}  // namespace awaitify
