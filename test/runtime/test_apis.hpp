// Fake callback-last APIs of every shape the rewriter hands `resume` to.
#pragma once

#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include <awaitify/event_loop.hpp>

namespace awaitify_test {

// std::function API that completes inline.
inline void get_now(int key, std::function<void(int)> callback) { callback(key + 1); }

// std::function<void(const T&)> API.
inline void name_now(int key, std::function<void(const std::string&)> callback) {
  callback("name-" + std::to_string(key));
}

// Asio-style template callables: by value and by forwarding reference.
template <class F>
void get_by_value(int key, F callback) {
  callback(key + 1);
}
template <class F>
void get_forwarding(int key, F&& callback) {
  std::forward<F>(callback)(key + 1);
}

// A non-owning callable reference, like function_ref.
template <class Sig>
class function_ref;
template <class R, class... Args>
class function_ref<R(Args...)> {
 public:
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, function_ref>)
  function_ref(F& f) noexcept  // NOLINT(google-explicit-constructor)
      : object_(&f), call_([](void* o, Args... args) -> R {
          return (*static_cast<F*>(o))(std::forward<Args>(args)...);
        }) {}
  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};
inline void get_via_ref(int key, function_ref<void(int)> callback) { callback(key + 1); }

// std::function API that completes later, from the loop.
struct async_store {
  awaitify::event_loop& loop;
  void get(int key, std::function<void(int)> callback) {
    loop.post([callback = std::move(callback), key] { callback(key + 1); });
  }
};

}  // namespace awaitify_test
