// Exercise 4.3: a semaphore for coroutines. Read in_flight_limit.hpp for the contract, then
// replace the TODOs. Check your work: ./tour.sh check ch04 in_flight_limit
// Stuck? 04_asio/exercises/HINTS.md has the steps, one at a time.
//
// 04_asio caps requests with lanes (N coroutines that each take the next URL). A semaphore is
// the other classic: a coroutine per URL, each waiting for a slot, like asyncio.Semaphore.
#include "in_flight_limit.hpp"

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

namespace exercise {

InFlightLimit::InFlightLimit(asio::any_io_executor executor, std::size_t limit)
    : executor_(std::move(executor)), limit_(limit) {}

asio::awaitable<void> InFlightLimit::acquire() {
    // TODO: take a slot if one is free; otherwise suspend this coroutine (never block the
    //       thread: every coroutine shares it) until release() hands a slot over. Waiters get
    //       their slots in the order they came.
    ++held_;
    co_return;
}

void InFlightLimit::release() {
    // TODO: give the slot back: straight to the longest-waiting coroutine if there is one
    //       (so no newcomer can slip in between), otherwise to the pool.
    --held_;
}

}  // namespace exercise
