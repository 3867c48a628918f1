// Chapter 4's smallest complete event loop: a coroutine per URL on one io_context, nothing else
// (no cap, no pacing of the starts, the first exception ends the run). The real model,
// event_loop::download_all in event_loop.cpp, is built up from it in docs/04-asio.md.
#pragma once

#include <string>
#include <vector>

#include <asio/awaitable.hpp>

#include "async_http_client.hpp"
#include "common/fetch.hpp"

namespace event_loop::small {

// One URL's coroutine: fetch it into `result`, a slot that must outlive the loop.
asio::awaitable<void> download_site(AsyncHttpClient& client, std::string url, tour::FetchResult& result);

// Fetch every URL on this thread, all at once; one FetchResult per URL, in input order. An
// exception a coroutine ends with (a bug, not a network failure) leaves io.run() and this call.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls);

}  // namespace event_loop::small
