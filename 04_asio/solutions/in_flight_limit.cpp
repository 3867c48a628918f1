// Exercise 4.3, a worked answer.
#include "in_flight_limit.hpp"

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

namespace exercise {

InFlightLimit::InFlightLimit(asio::any_io_executor executor, std::size_t limit)
    : executor_(std::move(executor)), limit_(limit) {}

asio::awaitable<void> InFlightLimit::acquire() {
    if (held_ < limit_) {
        ++held_;
        co_return;
    }
    // shared_ptr: the timer must stay alive while this coroutine waits on it, even after
    // release() has popped it from the queue.
    auto wake = std::make_shared<asio::steady_timer>(executor_, asio::steady_timer::time_point::max());
    waiters_.push_back(wake);
    asio::error_code ec;  // operation_aborted: release() handed us its slot
    co_await wake->async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

void InFlightLimit::release() {
    if (!waiters_.empty()) {
        // Hand the slot over directly: held_ does not change, so no newcomer can slip in
        // between this release and the waiter's wake-up.
        waiters_.front()->cancel();
        waiters_.pop_front();
        return;
    }
    --held_;
}

}  // namespace exercise
