// awaitify/detail/unique_function.hpp - a move-only `void()` callable.
//
// What event_loop queues. Unlike std::function it accepts move-only callables
// and keeps any nothrow-movable callable of up to `capacity` bytes in place,
// so posting a completion (or a small lambda holding one) allocates nothing.
// Not synchronised: one thread at a time.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace awaitify::detail {

class unique_function {
 public:
  static constexpr std::size_t capacity = 6 * sizeof(void*);

  unique_function() noexcept = default;

  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, unique_function> &&
             std::is_invocable_v<std::decay_t<F>&>)
  unique_function(F&& f) {  // NOLINT(google-explicit-constructor): a callable converts
    using D = std::decay_t<F>;
    if constexpr (fits_inline<D>) {
      ::new (static_cast<void*>(buffer_)) D(std::forward<F>(f));
      ops_ = &inline_ops<D>;
    } else {
      ::new (static_cast<void*>(buffer_)) D*(new D(std::forward<F>(f)));
      ops_ = &heap_ops<D>;
    }
  }

  unique_function(unique_function&& other) noexcept : ops_(std::exchange(other.ops_, nullptr)) {
    if (ops_) ops_->relocate(other.buffer_, buffer_);
  }
  unique_function& operator=(unique_function&& other) noexcept {
    if (this != &other) {
      reset();
      if ((ops_ = std::exchange(other.ops_, nullptr))) ops_->relocate(other.buffer_, buffer_);
    }
    return *this;
  }
  unique_function(const unique_function&) = delete;
  unique_function& operator=(const unique_function&) = delete;
  ~unique_function() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }

  // Precondition: not empty.
  void operator()() { ops_->invoke(buffer_); }

  void reset() noexcept {
    if (ops_) std::exchange(ops_, nullptr)->destroy(buffer_);
  }

 private:
  struct ops_table {
    void (*invoke)(void*);
    void (*relocate)(void* from, void* to) noexcept;  // move to `to`, destroy `from`
    void (*destroy)(void*) noexcept;
  };

  template <class D>
  static constexpr bool fits_inline = sizeof(D) <= capacity &&
                                      alignof(D) <= alignof(std::max_align_t) &&
                                      std::is_nothrow_move_constructible_v<D>;

  template <class D>
  static constexpr ops_table inline_ops{
      [](void* p) { (*static_cast<D*>(p))(); },
      [](void* from, void* to) noexcept {
        ::new (to) D(std::move(*static_cast<D*>(from)));
        static_cast<D*>(from)->~D();
      },
      [](void* p) noexcept { static_cast<D*>(p)->~D(); },
  };

  template <class D>
  static constexpr ops_table heap_ops{
      [](void* p) { (**static_cast<D**>(p))(); },
      [](void* from, void* to) noexcept { ::new (to) D*(*static_cast<D**>(from)); },
      [](void* p) noexcept { delete *static_cast<D**>(p); },
  };

  alignas(std::max_align_t) unsigned char buffer_[capacity];
  const ops_table* ops_ = nullptr;
};

}  // namespace awaitify::detail
