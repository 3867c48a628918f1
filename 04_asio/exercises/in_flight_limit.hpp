// Exercise 4.3: a limit on requests in flight, as a semaphore for coroutines (asyncio.Semaphore).
// (Do not edit this header; write your answer in in_flight_limit.cpp.)
#pragma once

#include <cstddef>
#include <deque>
#include <memory>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

namespace exercise {

// At most `limit` holders at a time. For coroutines on ONE thread (one io_context): no locks.
//
//     co_await limit.acquire();    // suspends while `limit` others hold a slot
//     auto r = co_await client.async_get(url);
//     limit.release();             // lets the longest-waiting coroutine in
class InFlightLimit {
public:
    InFlightLimit(asio::any_io_executor executor, std::size_t limit);

    // Take a slot: at once if one is free, otherwise suspend until release() hands one over.
    asio::awaitable<void> acquire();
    // Give a slot back: to the first waiter if there is one, else to the pool.
    void release();

    std::size_t held() const { return held_; }  // slots taken now

private:
    asio::any_io_executor executor_;
    std::size_t limit_;
    std::size_t held_ = 0;
    // One timer per suspended acquire(), oldest first. A timer set to expire never and then
    // cancelled is the simplest "wake this one coroutine" signal in Asio.
    std::deque<std::shared_ptr<asio::steady_timer>> waiters_;
};

}  // namespace exercise
