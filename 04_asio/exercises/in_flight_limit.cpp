// Exercise 4.3: a semaphore for coroutines. Read in_flight_limit.hpp for the contract, then
// replace the TODOs. Check your work: ./tour.sh check ch04 in_flight_limit
// One hint at a time: ./tour.sh hint ch04 in_flight_limit
//
// 04_asio caps requests with lanes (N coroutines that each take the next URL). A semaphore is
// the other classic: a coroutine per URL, each waiting for a slot, like asyncio.Semaphore.
#include "in_flight_limit.hpp"

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

namespace exercise {

// TODO: what a suspended acquire() waits on, and the queue of them, oldest first. Asio has no
//       "wake this one coroutine" primitive by that name: which of its objects can a coroutine
//       co_await, and another end early?
struct InFlightLimit::Waiters {};

InFlightLimit::InFlightLimit(asio::any_io_executor executor, std::size_t limit)
    : executor_(std::move(executor)), limit_(limit), waiters_(std::make_unique<Waiters>()) {}

InFlightLimit::~InFlightLimit() = default;

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
