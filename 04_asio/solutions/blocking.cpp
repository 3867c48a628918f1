// Exercise 4.2, a worked answer: async_get instead of the blocking HttpSession::get.
//
// Exercise 4.2: a blocking call hides in this coroutine program. It starts a coroutine per URL
// on one io_context, exactly like 04_asio; every page arrives, with the right bytes. Yet the
// server never sees more than ONE request at a time, and 20 pages take 20 latencies.
// Find the call that blocks the loop and replace it with its asynchronous counterpart.
// Check your work: ./tour.sh check ch04 blocking
//
// (The same bug in Python: calling requests.get() inside an `async def`.)
#include "blocking.hpp"

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "async_http_client.hpp"

namespace exercise {

namespace {

asio::awaitable<void> fetch_one(event_loop::AsyncHttpClient& client, std::string url, tour::FetchResult& out) {
    out = co_await client.async_get(std::move(url));  // suspends: other coroutines run meanwhile
}

}  // namespace

std::vector<tour::FetchResult> fetch_all(const std::vector<std::string>& urls, const tour::FetchOptions& options) {
    std::vector<tour::FetchResult> results(urls.size());
    asio::io_context io(1);
    event_loop::AsyncHttpClient client(io, options);
    for (std::size_t i = 0; i < urls.size(); ++i) {
        asio::co_spawn(io, fetch_one(client, urls[i], results[i]), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);  // out of io.run(), to our caller
        });
    }
    io.run();
    return results;
}

}  // namespace exercise
