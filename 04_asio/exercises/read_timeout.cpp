// Exercise 4.5: a deadline for a whole reply. Read read_timeout.hpp for the contract.
// Check your work: ./tour.sh check ch04 read_timeout     One hint at a time: ./tour.sh hint ch04 read_timeout
//
// Exercise 4.1 bounded one awaitable (a request) with a timer. Here the reply comes in many
// reads, and a server that drips a byte every few milliseconds never lets one read wait long:
// the deadline must bound all of them together (Python: asyncio.timeout() around the loop).
#include "read_timeout.hpp"

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

namespace exercise {

asio::awaitable<std::optional<std::string>> read_reply(asio::ip::tcp::socket& socket, std::chrono::milliseconds timeout) {
    (void)timeout;  // TODO: remove this line once `timeout` is used
    std::string reply;
    char chunk[512];
    for (;;) {
        asio::error_code ec;  // end of file (the peer closed) is how a complete reply ends
        // TODO: give up once `timeout` has passed since the call, whichever read is waiting
        //       then: close the socket and return std::nullopt.
        const std::size_t n = co_await socket.async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
        reply.append(chunk, n);
        if (ec == asio::error::eof) co_return reply;
        if (ec) throw asio::system_error(ec);
    }
}

}  // namespace exercise
