// Exercise 4.1: a deadline per request. Read deadline.hpp for the contract, then replace the TODO.
// Check your work: ctest --preset exercises -R ch04_deadline
//
// curl already has a timeout (CURLOPT_TIMEOUT_MS, --timeout); this one is the event loop's:
// the same tool bounds any awaitable, not only HTTP requests (asyncio.wait_for in Python).
#include "deadline.hpp"

namespace exercise {

asio::awaitable<tour::FetchResult> fetch_with_deadline(event_loop::AsyncHttpClient& client, std::string url,
                                                       std::chrono::milliseconds deadline) {
    // TODO: race the request against an asio::steady_timer that expires after `deadline`.
    //       Hint: #include <asio/experimental/awaitable_operators.hpp> and
    //       `using namespace asio::experimental::awaitable_operators;` then
    //       `co_await (a || b)` runs both awaitables, returns the first to finish as a
    //       std::variant and cancels the other. Cancelling async_get aborts the transfer.
    (void)deadline;
    co_return co_await client.async_get(std::move(url));
}

}  // namespace exercise
