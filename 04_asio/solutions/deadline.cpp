// Exercise 4.1, a worked answer.
#include "deadline.hpp"

#include <variant>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace exercise {

namespace {
asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::use_awaitable);
}
}  // namespace

asio::awaitable<tour::FetchResult> fetch_with_deadline(event_loop::AsyncHttpClient& client, std::string url,
                                                       std::chrono::milliseconds deadline) {
    using namespace asio::experimental::awaitable_operators;
    std::string copy = url;  // the request gets `url`; the deadline result still needs it
    std::variant<tour::FetchResult, std::monostate> first =
        co_await (client.async_get(std::move(url)) || sleep_for(deadline));
    if (first.index() == 0) co_return std::get<0>(std::move(first));
    tour::FetchResult late;  // the timer won; the request was cancelled and removed from curl
    late.url = std::move(copy);
    late.error = "deadline of " + std::to_string(deadline.count()) + " ms exceeded";
    co_return late;
}

}  // namespace exercise
