// Exercise 4.1: a deadline per request, from the event loop's side. (Do not edit this header;
// write your answer in deadline.cpp.)
#pragma once

#include <chrono>
#include <string>

#include <asio/awaitable.hpp>

#include "async_http_client.hpp"

namespace exercise {

// Fetch `url` with `client`, but give up after `deadline`: then the transfer is cancelled (no
// longer in flight) and the result has the URL and the error "deadline of N ms exceeded"
// (N = deadline in milliseconds). A request that finishes in time returns its own result.
asio::awaitable<tour::FetchResult> fetch_with_deadline(event_loop::AsyncHttpClient& client, std::string url,
                                                       std::chrono::milliseconds deadline);

}  // namespace exercise
