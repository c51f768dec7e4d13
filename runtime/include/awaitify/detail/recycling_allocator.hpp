// awaitify/detail/recycling_allocator.hpp - a per-thread cache of small blocks.
//
// Every `co_await from_callback(...)` needs a small block of shared state that
// completion copies may outlive (see from_callback.hpp). Taking it from the
// global heap on every await would cost as much as the std::function the
// rewrite removes, so blocks are recycled through a per-thread cache, as
// Asio's recycling allocator does for its operations and awaitable frames.
//
// Terms. A *size class* is a multiple of `granule` bytes up to `max_size`; a
// request is rounded up to its class. Each thread keeps, per class, a free
// list of at most `per_class` blocks. `allocate` pops from the calling
// thread's list (or calls ::operator new); `deallocate` pushes onto the
// calling thread's list (or calls ::operator delete). A block may therefore be
// allocated on one thread and freed on another: it simply changes cache. Each
// thread's cache is touched only by that thread, so nothing here is shared.
// The blocks a thread still caches are freed when it exits.
//
// Define AWAITIFY_NO_RECYCLING to send every request to the global heap. It is
// defined automatically under AddressSanitizer, so that it sees every free.
#pragma once

#include <cstddef>
#include <new>

#if !defined(AWAITIFY_NO_RECYCLING)
#if defined(__SANITIZE_ADDRESS__)
#define AWAITIFY_NO_RECYCLING 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AWAITIFY_NO_RECYCLING 1
#endif
#endif
#endif

namespace awaitify::detail {

struct recycling_allocator {
  static constexpr std::size_t granule = 32;
  static constexpr std::size_t max_size = 512;
  static constexpr std::size_t classes = max_size / granule;
  static constexpr unsigned per_class = 8;

#if defined(AWAITIFY_NO_RECYCLING)
  static constexpr bool enabled = false;
#else
  static constexpr bool enabled = true;
#endif

  // Rounds `n` up to its size class (or leaves it alone past max_size).
  static constexpr std::size_t block_size(std::size_t n) noexcept {
    return n > max_size ? n : (n + granule - 1) / granule * granule;
  }

  static void* allocate(std::size_t n) {
    if constexpr (enabled) {
      if (n != 0 && n <= max_size) {
        cache& c = local();
        std::size_t k = (n - 1) / granule;
        if (node* b = c.head[k]) {
          c.head[k] = b->next;
          --c.count[k];
          return b;
        }
      }
    }
    return ::operator new(block_size(n));
  }

  static void deallocate(void* p, std::size_t n) noexcept {
    if constexpr (enabled) {
      if (n != 0 && n <= max_size) {
        cache& c = local();
        std::size_t k = (n - 1) / granule;
        if (!c.closed && c.count[k] < per_class) {
          if (!c.registered) register_cleanup(c);
          c.head[k] = ::new (p) node{c.head[k]};
          ++c.count[k];
          return;
        }
      }
    }
    ::operator delete(p, block_size(n));
  }

 private:
  struct node {
    node* next;
  };

  // Trivially destructible and constant-initialised, so it may be used at any
  // point of the thread's life, including while other thread_locals are being
  // destroyed; `closed` turns the cache off once its blocks have been freed.
  struct cache {
    node* head[classes];
    unsigned count[classes];
    bool registered;
    bool closed;
  };

  struct cleanup {
    ~cleanup() {
      cache& c = local();
      c.closed = true;
      for (std::size_t k = 0; k < classes; ++k) {
        while (node* b = c.head[k]) {
          c.head[k] = b->next;
          ::operator delete(b, (k + 1) * granule);
        }
        c.count[k] = 0;
      }
    }
  };

  static cache& local() noexcept {
    static thread_local cache c{};
    return c;
  }

  // Touching a thread_local with a destructor registers that destructor for
  // this thread; done once, on the first block the thread keeps.
  static void register_cleanup(cache& c) noexcept {
    static thread_local cleanup guard;
    (void)guard;
    c.registered = true;
  }
};

}  // namespace awaitify::detail
