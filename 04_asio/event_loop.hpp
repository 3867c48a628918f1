// Chapter 4: the event loop. One thread, one asio::io_context, a coroutine per URL.
#pragma once

#include <cstddef>
#include <exception>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/report.hpp"
#include "common/stop.hpp"

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
// Stops early when `stop` is requested (from any thread), when `deadline` has passed since the
// call, or on the first SIGINT/SIGTERM while it runs (loop_stop.hpp): the requests in flight
// are cancelled and every URL not fetched is a result "cancelled (why)".
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            std::size_t max_in_flight, tour::RunStop& stop,
                                            std::optional<tour::Clock::duration> deadline, tour::Progress& progress);

// --workers N turned into a cap on requests in flight: 0 means none (one coroutine per URL).
// Each request in flight holds a socket, so the cap is lowered to what the open-file limit
// leaves room for, with a message on `err` saying so (tour::cap_by_open_files).
std::size_t in_flight_cap(int workers, std::size_t url_count, std::ostream& err);

}  // namespace event_loop
