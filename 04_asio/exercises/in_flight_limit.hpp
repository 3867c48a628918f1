// Exercise 4.3: a limit on requests in flight, as a semaphore for coroutines (asyncio.Semaphore).
// (Do not edit this header; write your answer in in_flight_limit.cpp.)
#pragma once

#include <cstddef>
#include <memory>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

namespace exercise {

// At most `limit` holders at a time. For coroutines on ONE thread (one io_context): no locks.
//
//     co_await limit.acquire();    // suspends while `limit` others hold a slot
//     auto r = co_await client.async_get(url);
//     limit.release();             // lets the longest-waiting coroutine in
class InFlightLimit {
public:
    InFlightLimit(asio::any_io_executor executor, std::size_t limit);
    ~InFlightLimit();

    // Take a slot: at once if one is free, otherwise suspend until release() hands one over.
    asio::awaitable<void> acquire();
    // Give a slot back: to the first waiter if there is one, else to the pool.
    void release();

    std::size_t held() const { return held_; }  // slots taken now

private:
    asio::any_io_executor executor_;
    std::size_t limit_;
    std::size_t held_ = 0;
    // The suspended acquire() calls, oldest first: what they wait on is yours to choose, in
    // in_flight_limit.cpp (there, InFlightLimit::Waiters is a complete type).
    struct Waiters;
    std::unique_ptr<Waiters> waiters_;
};

}  // namespace exercise
