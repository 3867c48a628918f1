// A plain-HTTP/1.1 client on Asio coroutines, about 150 lines: what libcurl does for us in
// the rest of the chapter, done by hand so you can see it (status line, headers,
// Content-Length, chunked bodies, keep-alive). http:// only: no TLS, no redirects, no
// compression, no proxy, no IPv6 literals. Good enough for sitesim; use libcurl for anything else.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

namespace raw_http {

struct Response {
    int status = 0;                                            // 200
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
    std::string body;                                          // after chunked decoding
    bool keep_alive = false;  // the server lets us send the next request on this connection

    // The value of header `name` (lower case), or "" if absent.
    std::string header(std::string_view name) const;
};

// Parse a response head: "HTTP/1.1 200 OK\r\nName: value\r\n...\r\n\r\n" (the blank line
// included). Sets status, headers and keep_alive; throws std::runtime_error if malformed.
Response parse_head(std::string_view head);

// Send "GET target" on a connected socket and read the whole response. `buffer` carries the
// bytes read past the end of one response into the next call (keep it per connection).
// Network errors and a body cut short throw asio::system_error (asio::error::eof).
asio::awaitable<Response> get(asio::ip::tcp::socket& socket, std::string& buffer, std::string_view host,
                              std::string_view target);

// GET each target from host:port in order, over one connection as long as the server keeps
// it alive (a new one when it does not). `connections` counts the connections opened.
asio::awaitable<std::vector<Response>> get_all(std::string host, std::string port, std::vector<std::string> targets,
                                               std::size_t& connections);

}  // namespace raw_http
