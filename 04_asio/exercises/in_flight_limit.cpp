// Exercise 4.3: a semaphore for coroutines. Read in_flight_limit.hpp for the contract, then
// replace the TODOs. Check your work: ctest --preset exercises -R ch04_in_flight_limit
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
    // TODO: if held_ < limit_, take a slot and return. Otherwise create a steady_timer on
    //       executor_ that expires at time_point::max(), append it to waiters_ and co_await
    //       its async_wait with asio::redirect_error(asio::use_awaitable, ec): release() will
    //       cancel it, which ends the wait with operation_aborted (not an exception, thanks to
    //       redirect_error). When woken, the slot release() handed over is already yours.
    ++held_;
    co_return;
}

void InFlightLimit::release() {
    // TODO: if a coroutine waits, hand this slot straight to the oldest one (pop it from
    //       waiters_ and cancel its timer; held_ stays the same). Otherwise --held_.
    --held_;
}

}  // namespace exercise
