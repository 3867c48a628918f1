#include "simulator/faults.hpp"

#include <system_error>

#include <asio/socket_base.hpp>

namespace sitesim {
namespace {
using namespace std::chrono_literals;
constexpr auto stall_limit = 120s;       // fault=stall holds the socket at most this long
constexpr auto slowbody_interval = 100ms;
}  // namespace

asio::awaitable<bool> serve_fault(Connection& c, const RequestHead& head, const PageRequest& page) {
    const bool send_body = head.method != "HEAD";
    const auto headers = response_head(page.status, "text/plain", page.bytes, head.keep_alive);
    std::error_code ec;
    switch (page.fault) {
        case Fault::reset:  // SO_LINGER {on, 0 s}: close() sends RST instead of FIN
            c.socket.set_option(asio::socket_base::linger(true, 0), ec);
            c.socket.close(ec);
            co_return false;
        case Fault::stall:  // never answer; hold the socket until the client gives up
            c.expire_after(stall_limit);
            co_await drain_until_closed(c);
            co_return false;
        case Fault::garbage:
            co_await write(c, "\x01\x02 this is not HTTP \xff\xfe at all: no status line, no headers, "
                              "just bytes that no HTTP client can parse.\r\n");
            co_return false;
        case Fault::redirect: {
            const auto redirect = response_head(302, "text/plain", 0, head.keep_alive, page.location);
            co_return co_await write(c, redirect) && head.keep_alive;
        }
        case Fault::truncate:  // promise the whole body, deliver half, hang up
            if (co_await write(c, headers) && send_body) co_await write_body(c, page.path, 0, page.bytes / 2);
            co_return false;
        case Fault::slowbody:  // the whole body, one byte every 100 ms
            if (!co_await write(c, headers)) co_return false;
            for (std::size_t i = 0; send_body && i < page.bytes; ++i) {
                co_await pause(slowbody_interval);
                const char byte = body_byte(page.path, i);
                if (!co_await write(c, std::string_view(&byte, 1))) co_return false;
            }
            co_return head.keep_alive;
        case Fault::none:
            break;
    }
    co_return false;  // not a fault: serve_page answers those itself
}

}  // namespace sitesim
