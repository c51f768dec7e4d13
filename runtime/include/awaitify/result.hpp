// awaitify/result.hpp - the outcome of an operation: a value or an exception.
//
// `result<T>` is what `spawn` delivers to its callback, and what a task keeps
// until its awaiter collects it. It holds nothing (not finished yet), a value
// (for T = void: just "done"; for T = U&: a reference), or an exception.
// It is a plain value type: not synchronised, used by one thread at a time.
#pragma once

#include <cassert>
#include <exception>
#include <functional>
#include <type_traits>
#include <utility>
#include <variant>

namespace awaitify {

template <class T>
class result {
  static_assert(!std::is_rvalue_reference_v<T>, "awaitify::result<T&&> is not supported");

  struct void_value {};
  using stored = std::conditional_t<
      std::is_void_v<T>, void_value,
      std::conditional_t<std::is_reference_v<T>,
                         std::reference_wrapper<std::remove_reference_t<T>>, T>>;

 public:
  using value_type = T;

  // Empty: neither a value nor an exception yet.
  result() noexcept = default;

  using reference = std::conditional_t<std::is_void_v<T>, void, std::add_lvalue_reference_t<T>>;
  using const_reference =
      std::conditional_t<std::is_void_v<T>, void, std::add_lvalue_reference_t<const T>>;
  // What `std::move(r).value()` returns: the value moved out, or T itself
  // when T is void or a reference.
  using rvalue_reference = std::conditional_t<std::is_void_v<T> || std::is_reference_v<T>, T,
                                              std::add_rvalue_reference_t<T>>;

  // Stores a value (for T = void, no arguments; for T = U&, one U&).
  template <class... Args>
  void emplace_value(Args&&... args) {
    state_.template emplace<1>(std::forward<Args>(args)...);
  }
  void set_exception(std::exception_ptr e) noexcept { state_.template emplace<2>(std::move(e)); }

  bool has_value() const noexcept { return state_.index() == 1; }
  bool has_exception() const noexcept { return state_.index() == 2; }
  explicit operator bool() const noexcept { return has_value(); }

  // The exception, or a null exception_ptr when there is none.
  std::exception_ptr exception() const noexcept {
    return has_exception() ? std::get<2>(state_) : std::exception_ptr{};
  }

  // The value; rethrows the exception if there is one. Precondition: not empty.
  reference value() & {
    check();
    if constexpr (std::is_void_v<T>) {
      return;
    } else if constexpr (std::is_reference_v<T>) {
      return std::get<1>(state_).get();
    } else {
      return std::get<1>(state_);
    }
  }
  const_reference value() const& {
    check();
    if constexpr (std::is_void_v<T>) {
      return;
    } else if constexpr (std::is_reference_v<T>) {
      return std::get<1>(state_).get();
    } else {
      return std::get<1>(state_);
    }
  }
  // Rvalue access moves the value out (a reference stays a reference).
  rvalue_reference value() && {
    check();
    if constexpr (std::is_void_v<T>) {
      return;
    } else if constexpr (std::is_reference_v<T>) {
      return std::get<1>(state_).get();
    } else {
      return std::move(std::get<1>(state_));
    }
  }

 private:
  void check() const {
    assert(state_.index() != 0 && "awaitify::result: no value or exception yet");
    if (state_.index() == 2) std::rethrow_exception(std::get<2>(state_));
  }

  std::variant<std::monostate, stored, std::exception_ptr> state_;
};

}  // namespace awaitify
