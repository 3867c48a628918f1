// Exercise 4.1: a deadline per request. Read deadline.hpp for the contract, then replace the TODO.
// Check your work: ./tour.sh check ch04 deadline
// One hint at a time: ./tour.sh hint ch04 deadline
//
// curl already has a timeout (CURLOPT_TIMEOUT_MS, --timeout); this one is the event loop's:
// the same tool bounds any awaitable, not only HTTP requests (asyncio.wait_for in Python).
#include "deadline.hpp"

namespace exercise {

asio::awaitable<tour::FetchResult> fetch_with_deadline(event_loop::AsyncHttpClient& client, std::string url,
                                                       std::chrono::milliseconds deadline) {
    // TODO: give up on the request after `deadline`, from the event loop's side: the transfer
    //       must be cancelled (not left running in curl), and nothing may block the loop.
    (void)deadline;
    co_return co_await client.async_get(std::move(url));
}

}  // namespace exercise
