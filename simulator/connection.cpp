#include "simulator/connection.hpp"

#include <array>
#include <system_error>

#include <asio/buffer.hpp>
#include <asio/redirect_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

namespace sitesim {
namespace {
constexpr std::size_t chunk_size = 16 * 1024;

std::string_view reason_phrase(int status) {
    switch (status) {
        case 200: return "OK";
        case 302: return "Found";
        case 400: return "Bad Request";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        default: return status < 400 ? "Other" : "Error";
    }
}
}  // namespace

asio::awaitable<bool> write(Connection& c, std::string_view data) {
    std::error_code ec;
    co_await asio::async_write(c.socket, asio::buffer(data), asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) c.expire_after(idle_timeout);  // progress: the client is reading
    co_return !ec;
}

asio::awaitable<void> pause(std::chrono::milliseconds delay) {
    // A timer, not std::this_thread::sleep_for: sleeping would block the only thread, and with it
    // every other connection. co_await on a timer lets the loop serve them meanwhile.
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    std::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

std::string response_head(int status, std::string_view type, std::size_t length, bool keep_alive,
                          std::string_view location) {
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
    head += "Server: sitesim\r\nContent-Type: " + std::string(type) + "\r\n";
    head += "Content-Length: " + std::to_string(length) + "\r\n";
    if (!location.empty()) head += "Location: " + std::string(location) + "\r\n";
    head += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    return head;
}

asio::awaitable<bool> write_body(Connection& c, std::string_view path, std::size_t from, std::size_t to) {
    std::array<char, chunk_size> chunk;
    for (std::size_t offset = from; offset < to;) {
        const std::size_t n = std::min(chunk.size(), to - offset);
        fill_body(path, offset, std::span(chunk.data(), n));
        if (!co_await write(c, std::string_view(chunk.data(), n))) co_return false;
        offset += n;
    }
    co_return true;
}

asio::awaitable<void> drain_until_closed(Connection& c) {
    std::array<char, 1024> sink;
    std::error_code ec;
    while (!ec) co_await c.socket.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace sitesim
