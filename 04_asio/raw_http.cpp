// The listing of docs/deep/04-what-libcurl-does.md (HTTP/1.1 by hand). Reads top to bottom like
// blocking code; every co_await is a point where the thread goes off to serve someone else.
#include "raw_http.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "common/text.hpp"

#include <asio/connect.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/redirect_error.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

namespace raw_http {

namespace {

constexpr std::size_t max_head_bytes = 64 * 1024;         // a longer head is an attack or a bug
constexpr std::size_t max_body_bytes = 64 * 1024 * 1024;  // as FetchOptions::max_body_bytes

using tour::trim;  // common/text.hpp
constexpr auto lower = tour::to_lower;

std::size_t parse_number(std::string_view text, int base, const char* what) {
    text = trim(text);
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (error != std::errc{} || text.empty() || end != text.data() + text.size() || value > max_body_bytes) {
        throw std::runtime_error(std::string("bad ") + what + ": '" + std::string(text) + "'");
    }
    return value;
}

// Make sure `buffer` holds at least n bytes; asio::error::eof if the server closes first.
// (A named function, not a capturing lambda: a lambda coroutine's captures live in the lambda
// object, not in the coroutine frame, and dangle as soon as the lambda is gone.)
asio::awaitable<void> read_at_least(asio::ip::tcp::socket& socket, std::string& buffer, std::size_t n) {
    if (buffer.size() >= n) co_return;
    co_await asio::async_read(socket, asio::dynamic_buffer(buffer, max_head_bytes + max_body_bytes),
                              asio::transfer_exactly(n - buffer.size()), asio::use_awaitable);
}

}  // namespace

std::string Response::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key == name) return value;
    }
    return "";
}

// [docs:parse_head]
Response parse_head(std::string_view head) {
    Response response;
    // Status line: "HTTP/1.1 200 OK". The version decides the default for keep-alive.
    const std::size_t line_end = head.find("\r\n");
    const std::string_view status_line = head.substr(0, line_end);
    if (line_end == std::string_view::npos || status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1.") {
        throw std::runtime_error("not an HTTP/1.x status line: '" + std::string(status_line.substr(0, 40)) + "'");
    }
    const bool http11 = status_line[7] == '1';
    response.status = static_cast<int>(parse_number(status_line.substr(9, 3), 10, "status"));
    // Headers: "Name: value" lines until the blank line. Names are case-insensitive.
    for (std::size_t at = line_end + 2; at < head.size();) {
        const std::size_t end = head.find("\r\n", at);
        const std::string_view line = head.substr(at, end - at);
        if (line.empty()) break;  // the blank line: end of the head
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) throw std::runtime_error("bad header line: '" + std::string(line) + "'");
        response.headers.emplace_back(lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
        if (end == std::string_view::npos) break;
        at = end + 2;
    }
    // Keep-alive: HTTP/1.1 keeps the connection unless told "close"; HTTP/1.0 closes it
    // unless told "keep-alive".
    const std::string connection = lower(response.header("connection"));
    response.keep_alive = http11 ? connection != "close" : connection == "keep-alive";
    return response;
}
// [/docs:parse_head]

// [docs:get]
asio::awaitable<Response> get(asio::ip::tcp::socket& socket, std::string& buffer, std::string_view host,
                              std::string_view target) {
    const std::string request = "GET " + std::string(target) + " HTTP/1.1\r\nHost: " + std::string(host) +
                                "\r\nUser-Agent: cpp-concurrency-tour/" TOUR_VERSION " (raw_http)\r\nAccept: */*\r\n\r\n";
    co_await asio::async_write(socket, asio::buffer(request), asio::use_awaitable);

    // The head ends at the first blank line. read_until may read past it: the rest stays in
    // `buffer` for the body (or, after the body, for the next response).
    auto in = asio::dynamic_buffer(buffer, max_head_bytes + max_body_bytes);
    const std::size_t head_size = co_await asio::async_read_until(socket, in, "\r\n\r\n", asio::use_awaitable);
    if (head_size > max_head_bytes) throw std::runtime_error("response head too large");
    Response response = parse_head(std::string_view(buffer).substr(0, head_size));
    buffer.erase(0, head_size);

    // Where the body ends: three ways to say it.
    if (lower(response.header("transfer-encoding")).find("chunked") != std::string::npos) {
        // Chunked: "<hex size>\r\n<bytes>\r\n" ... then "0\r\n", optional trailers, "\r\n".
        for (;;) {
            const std::size_t line = co_await asio::async_read_until(socket, in, "\r\n", asio::use_awaitable);
            const std::string_view size_text = std::string_view(buffer).substr(0, line - 2);
            const std::size_t size = parse_number(size_text.substr(0, size_text.find(';')), 16, "chunk size");
            buffer.erase(0, line);
            if (size == 0) break;
            if (response.body.size() + size > max_body_bytes) throw std::runtime_error("body too large");
            co_await read_at_least(socket, buffer, size + 2);
            if (buffer.compare(size, 2, "\r\n") != 0) throw std::runtime_error("chunk not followed by CRLF");
            response.body.append(buffer, 0, size);
            buffer.erase(0, size + 2);
        }
        for (;;) {  // trailer lines, up to the blank line
            const std::size_t line = co_await asio::async_read_until(socket, in, "\r\n", asio::use_awaitable);
            buffer.erase(0, line);
            if (line == 2) break;
        }
    } else if (const std::string length = response.header("content-length"); !length.empty()) {
        // Content-Length: exactly that many bytes. Fewer, then EOF: a truncated body (throws).
        const std::size_t size = parse_number(length, 10, "Content-Length");
        co_await read_at_least(socket, buffer, size);
        response.body.assign(buffer, 0, size);
        buffer.erase(0, size);
    } else if (response.status == 204 || response.status == 304 || response.status / 100 == 1) {
        // No body by definition.
    } else {
        // Neither: the body is everything until the server closes the connection, which then
        // cannot be reused. (A cut-short body is indistinguishable from a complete one here:
        // one reason servers send Content-Length.)
        asio::error_code ec;
        co_await asio::async_read(socket, in, asio::redirect_error(asio::use_awaitable, ec));
        if (ec && ec != asio::error::eof) throw asio::system_error(ec);
        response.body = std::move(buffer);
        buffer.clear();
        response.keep_alive = false;
    }
    co_return response;
}
// [/docs:get]

// [docs:get_all]
asio::awaitable<std::vector<Response>> get_all(std::string host, std::string port, std::vector<std::string> targets,
                                               std::size_t& connections) {
    auto executor = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(executor);
    const auto endpoints = co_await resolver.async_resolve(host, port, asio::use_awaitable);
    asio::ip::tcp::socket socket(executor);
    std::string buffer;  // bytes read ahead on this connection
    std::vector<Response> responses;
    for (const std::string& target : targets) {
        if (!socket.is_open()) {  // first request, or the server closed the last connection
            co_await asio::async_connect(socket, endpoints, asio::use_awaitable);
            buffer.clear();
            ++connections;
        }
        responses.push_back(co_await get(socket, buffer, host + ":" + port, target));
        if (!responses.back().keep_alive) socket.close();  // reconnect for the next one
    }
    co_return responses;
}
// [/docs:get_all]

}  // namespace raw_http
