// Exercise 4.3, a worked answer.
#include "in_flight_limit.hpp"

#include <deque>

#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

namespace exercise {

// One timer per suspended acquire(), oldest first. A timer set to expire never and then
// cancelled is the simplest "wake this one coroutine" signal in Asio. shared_ptr: the timer must
// stay alive while its coroutine waits on it, even after release() has popped it from the queue.
struct InFlightLimit::Waiters {
    std::deque<std::shared_ptr<asio::steady_timer>> queue;
};

InFlightLimit::InFlightLimit(asio::any_io_executor executor, std::size_t limit)
    : executor_(std::move(executor)), limit_(limit), waiters_(std::make_unique<Waiters>()) {}

InFlightLimit::~InFlightLimit() = default;

asio::awaitable<void> InFlightLimit::acquire() {
    if (held_ < limit_) {
        ++held_;
        co_return;
    }
    auto wake = std::make_shared<asio::steady_timer>(executor_, asio::steady_timer::time_point::max());
    waiters_->queue.push_back(wake);
    asio::error_code ec;  // operation_aborted: release() handed us its slot
    co_await wake->async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

void InFlightLimit::release() {
    if (!waiters_->queue.empty()) {
        // Hand the slot over directly: held_ does not change, so no newcomer can slip in
        // between this release and the waiter's wake-up.
        waiters_->queue.front()->cancel();
        waiters_->queue.pop_front();
        return;
    }
    --held_;
}

}  // namespace exercise
