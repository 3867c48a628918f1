// Exercise 4.2, a worked answer: async_get instead of the blocking HttpSession::get. (The
// options are the client's already: the driver made it with them.)
#include "blocking.hpp"

namespace exercise {

asio::awaitable<void> fetch_one(event_loop::AsyncHttpClient& client, const tour::FetchOptions&, std::string url,
                                tour::FetchResult& out) {
    out = co_await client.async_get(std::move(url));  // suspends: other coroutines run meanwhile
}

}  // namespace exercise
