// awaitify/awaitify.hpp - the whole awaitify runtime.
//
// The header-only C++20 runtime that code rewritten by awaitify calls:
//   task<T>          lazy coroutine, awaited once           task.hpp
//   from_callback    co_await a callback-last API            from_callback.hpp
//   detached         eager fire-and-forget coroutine         detached.hpp
//   spawn            task -> callback bridge                 spawn.hpp
//   sync_wait        block until an awaitable is done        sync_wait.hpp
//   event_loop       deterministic single-threaded loop      event_loop.hpp
//   broken_promise   a completion dropped uncalled           broken_promise.hpp
//   result<T>        value or exception                      result.hpp
//   set_unhandled_exception_handler                          unhandled_exception.hpp
// See docs/runtime.md for the contracts and examples.
#pragma once

#include "awaitify/broken_promise.hpp"
#include "awaitify/detached.hpp"
#include "awaitify/event_loop.hpp"
#include "awaitify/from_callback.hpp"
#include "awaitify/result.hpp"
#include "awaitify/spawn.hpp"
#include "awaitify/sync_wait.hpp"
#include "awaitify/task.hpp"
#include "awaitify/unhandled_exception.hpp"
