// Exercise 4.2: a blocking call hides in this coroutine program. blocking_driver.cpp starts a
// coroutine per URL on one io_context, exactly like 04_asio; every page arrives, with the right
// bytes. Yet the server never sees more than ONE request at a time, and 20 pages take 20
// latencies.
// TODO: find the call that blocks the loop and replace it with its asynchronous counterpart.
// Check your work: ./tour.sh check ch04 blocking     One hint at a time: ./tour.sh hint ch04 blocking
//
// (The same bug in Python: calling requests.get() inside an `async def`.)
#include "blocking.hpp"

namespace exercise {

namespace {

// Fetch one page, reusing this thread's session so connections are kept alive.
tour::FetchResult fetch_page(const std::string& url, const tour::FetchOptions& options) {
    thread_local tour::HttpSession session(options);
    return session.get(url);
}

}  // namespace

asio::awaitable<void> fetch_one(event_loop::AsyncHttpClient& client, const tour::FetchOptions& options, std::string url,
                                tour::FetchResult& out) {
    out = fetch_page(url, options);
    if (!out.ok()) out = co_await client.async_get(std::move(url));  // one more try
}

}  // namespace exercise
