// Chapter 4, "Several threads, one io_context": the event loop when each page also costs CPU
// time (parsing, hashing, decompressing, TLS). The network stays on one thread, because the
// bridge's libcurl multi handle is not thread-safe; each page's CPU work goes to an io_context
// run by several threads, and a strand serialises what their handlers share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/report.hpp"
#include "common/stop.hpp"

namespace threaded_loop {

// The CPU work done for one page: `rounds` rounds of a 64-bit mixing function, starting from
// the page's body hash. A stand-in for parsing or hashing the page: each round needs the one
// before, so the optimiser cannot skip any, and the result is checkable.
std::uint64_t process_page(std::uint64_t body_hash, std::uint64_t rounds);

struct Outcome {
    std::vector<tour::FetchResult> results;  // one per URL, in input order
    std::uint64_t digest = 0;                // sum of process_page over every page fetched, mod 2^64
    std::vector<std::size_t> finish_order;   // indexes of the pages, in the order their work finished
    std::size_t work_threads = 0;            // how many different threads ran some page's work
    std::size_t work_stopped = 0;            // pages fetched whose work a stop skipped or cut short
};

// Fetch every URL at once (a coroutine per URL, on this thread) and, as each page arrives, run
// its process_page on one of `threads` CPU threads. Network failures are results (and get no
// work); anything else is rethrown here once every request has finished. Stops as
// event_loop::download_all does (`stop`, `deadline`, SIGINT/SIGTERM); the CPU work stops too,
// between slices of its rounds (Outcome::work_stopped).
Outcome download_and_process(const std::vector<std::string>& urls, const tour::FetchOptions& options, int threads,
                             std::uint64_t rounds, tour::RunStop& stop, std::optional<tour::Clock::duration> deadline,
                             tour::Progress& progress);

}  // namespace threaded_loop
