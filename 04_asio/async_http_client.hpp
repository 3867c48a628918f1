// Chapter 4's bridge: libcurl's multi interface driven by an Asio event loop, so a coroutine
// can write
//
//     tour::FetchResult result = co_await client.async_get(url);
//
// and get exactly what HttpSession::get returns (same options, same checks: prepare_transfer
// and finish_transfer), while one thread keeps thousands of requests in flight.
//
// How the pieces fit (async_http_client.cpp explains every rule):
//  * curl decides WHAT to wait for: it calls our socket callback ("watch fd 7 for reading")
//    and our timer callback ("call me back in 37 ms").
//  * Asio does the WAITING: an async_wait per socket on a stream_descriptor, one steady_timer.
//  * When a wait completes, the handler calls curl_multi_socket_action, curl does the I/O, and
//    finished transfers wake the coroutine that awaits them.
//
// Threading: a client and the coroutines that use it run on one io_context, run by one thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>

#include "common/fetch.hpp"

namespace event_loop {

// What happens to a connection when its request is done.
//  * reuse: it stays open in curl's cache, and a later request to the same host takes it
//    (keep-alive: no new TCP handshake). Right when requests follow one another.
//  * one_per_request: every request opens its own connection and closes it when done. Right when
//    every request starts at once (nothing is idle to reuse yet, and libcurl 7.88 pays for
//    looking: set_scale_options in async_http_client.cpp).
enum class Connections { reuse, one_per_request };

// FetchResult::error of a request whose operation was cancelled (AsyncHttpClient::async_get).
inline constexpr const char* cancelled_error = "cancelled";

class AsyncHttpClient {
public:
    // Requests are driven by `io`, which must outlive the client; call async_get from
    // coroutines running on `io`, and run `io` on one thread.
    AsyncHttpClient(asio::io_context& io, tour::FetchOptions options, Connections connections = Connections::reuse);
    ~AsyncHttpClient();
    AsyncHttpClient(const AsyncHttpClient&) = delete;
    AsyncHttpClient& operator=(const AsyncHttpClient&) = delete;

    // GET `url`. Completes when the body has fully arrived or the transfer failed; like
    // HttpSession::get it never throws for network or HTTP errors (they are in
    // FetchResult::error). The returned awaitable holds what it needs: it stays valid even if
    // the client object is destroyed before it finishes.
    //
    // Cancellation (Asio's per-operation cancellation, terminal type): the awaiting coroutine's
    // cancellation slot, bound with asio::bind_cancellation_slot to co_spawn's handler, or the
    // `||` of asio/experimental/awaitable_operators.hpp when the other side wins. At any point,
    // at once: before the transfer starts (curl never sees it), while connecting, mid-body. It
    // completes once, with error == cancelled_error and the bytes that had arrived; by then the
    // transfer is out of curl and its connection closed. A cancellation after completion does
    // nothing. It is a result, not an exception: the caller decides what a cancel means.
    asio::awaitable<tour::FetchResult> async_get(std::string url);

    // Transfers started and not yet finished (for tests and progress displays).
    std::size_t in_flight() const;

private:
    struct Core;      // the multi handle, the timer, the watched sockets (async_http_client.cpp)
    struct Transfer;  // one request: easy handle, TransferState, completion signal
    static asio::awaitable<tour::FetchResult> run_transfer(std::shared_ptr<Core> core, std::string url);
    std::shared_ptr<Core> core_;
};

}  // namespace event_loop
