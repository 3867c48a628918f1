// Exercise 4.5, a worked answer: one timer, set once, raced against every read. Its expiry is a
// point in time, so each new async_wait on it waits only for what is left of the deadline.
#include "read_timeout.hpp"

#include <variant>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

namespace exercise {

asio::awaitable<std::optional<std::string>> read_reply(asio::ip::tcp::socket& socket, std::chrono::milliseconds timeout) {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer deadline(socket.get_executor(), timeout);  // from the call, for the whole reply
    std::string reply;
    char chunk[512];
    for (;;) {
        // The read must not throw: `||` waits for the first to *succeed*, so a read that threw
        // (end of file) would leave it waiting for the timer.
        asio::error_code ec;
        const auto first = co_await (socket.async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec)) ||
                                     deadline.async_wait(asio::use_awaitable));
        if (first.index() == 1) {  // the timer won; the read was cancelled
            socket.close();
            co_return std::nullopt;
        }
        reply.append(chunk, std::get<0>(first));
        if (ec == asio::error::eof) co_return reply;
        if (ec) throw asio::system_error(ec);
    }
}

}  // namespace exercise
