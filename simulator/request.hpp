// What a client asks sitesim for, parsed by pure functions: no sockets here, so tests can feed
// them any bytes at all, and the server code stays about I/O.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "simulator/site_model.hpp"

namespace sitesim {

// A request head (request line + headers) larger than this is refused with 431.
inline constexpr std::size_t max_request_head = 16 * 1024;

struct RequestHead {
    std::string method;      // "GET" or "HEAD"
    std::string target;      // "/site/3?fault=reset"
    bool keep_alive = true;  // HTTP/1.1 keeps the connection unless "Connection: close"
};

enum class HeadStatus {
    incomplete,  // no blank line yet: read more
    complete,    // head parsed; `consumed` bytes of the buffer belong to it
    bad,         // not HTTP/1.x GET or HEAD: 400
    too_large,   // no end within max_request_head bytes: 431
};

struct HeadParse {
    HeadStatus status = HeadStatus::incomplete;
    RequestHead head;
    std::size_t consumed = 0;
    std::string error;  // why, for bad
};

// Parse the head at the start of `buffer` (what has arrived so far). Rejects garbage as soon as
// it cannot become a request line, so junk gets its 400 without waiting for a blank line.
HeadParse parse_request_head(std::string_view buffer);

enum class Fault { none, reset, stall, slowbody, garbage, redirect, truncate };

// A page request after the query overrides: what the server must do.
struct PageRequest {
    std::string path;                   // the target without its query: what the model hashes
    std::chrono::milliseconds delay{};  // page_spec's latency, or delay_ms
    std::size_t bytes = 0;              // page_spec's size, or bytes
    int status = 200;                   // or status
    Fault fault = Fault::none;
    std::string location;               // for Fault::redirect
};

struct PageParse {
    PageRequest page;
    std::string error;  // non-empty: answer 400 with this text
};

// Apply the model and the query (delay_ms, bytes, status, fault, to) to a request target.
PageParse parse_page_request(const SiteParams& params, std::string_view target);

// "%2F" -> "/"; malformed escapes are kept as they are.
std::string percent_decode(std::string_view text);

}  // namespace sitesim
