// Exercise 4.2: find the call that blocks the event loop. (Do not edit this header; answer in
// blocking.cpp.)
#pragma once

#include <string>
#include <vector>

#include <asio/awaitable.hpp>

#include "async_http_client.hpp"
#include "common/fetch.hpp"

namespace exercise {

// Fetch every URL from one thread with a coroutine per URL, all in flight together. One
// FetchResult per URL, in input order.
// Already written (blocking_driver.cpp): one io_context, a coroutine fetch_one per URL.
std::vector<tour::FetchResult> fetch_all(const std::vector<std::string>& urls, const tour::FetchOptions& options);

// One URL's coroutine (blocking.cpp): its result into `out`.
asio::awaitable<void> fetch_one(event_loop::AsyncHttpClient& client, const tour::FetchOptions& options, std::string url,
                                tour::FetchResult& out);

}  // namespace exercise
