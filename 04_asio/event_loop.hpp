// Chapter 4: the event loop. One thread, one asio::io_context, a coroutine per URL.
#pragma once

#include <cstddef>
#include <exception>
#include <iosfwd>
#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/report.hpp"

namespace event_loop {

// [docs:keep_first_failure]
// co_spawn's completion handler for the chapter's coroutines: keeps the first exception one
// ended with, for the caller to rethrow once the loop has finished (`asio::detached` would drop
// it). `failure` must outlive the loop; only the loop's thread touches it.
struct KeepFirstFailure {
    std::exception_ptr& failure;
    void operator()(std::exception_ptr e) const {
        if (e && !failure) failure = e;
    }
};
// [/docs:keep_first_failure]

// Download every URL on this thread, all at once (max_in_flight == 0) or with at most
// max_in_flight requests in flight. One FetchResult per URL, in input order; worker = the lane
// that fetched it. Network failures are results; anything else (a bug, a set-up failure)
// is rethrown here after the loop has finished every other request.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls,
                                            const tour::FetchOptions& options,
                                            std::size_t max_in_flight, tour::Progress& progress);

// Descriptors kept for the program's other files (stdio, epoll, curl's wake-up pair, the
// simulator pipe, --json), not for connections.
inline constexpr std::size_t descriptor_reserve = 64;

// The soft limit on open files (tour::open_file_limit) minus descriptor_reserve: how many
// connections can be open at once.
std::size_t connection_budget();

// --workers N turned into a cap on requests in flight: 0 means none (one coroutine per URL).
// Each request in flight holds a socket, so the cap is lowered to what the open-file limit
// allows, with a message on `err` saying so.
std::size_t in_flight_cap(int workers, std::size_t url_count, std::ostream& err);

}  // namespace event_loop
