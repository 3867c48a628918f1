// 04_asio: download every site from one thread, with an Asio event loop and coroutines.
//
//   ./build/04_asio/04_asio                          # 80 pages from the embedded simulator
//   ./build/04_asio/04_asio --sites 10000 --latency-ms 20
//   ./build/04_asio/04_asio --workers 100            # at most 100 requests in flight
//
// The model is event_loop::download_all in event_loop.cpp; the bridge between Asio and libcurl
// is tour::AsyncHttpClient in common/async_fetch.cpp.
#include <iostream>

#include "common/async_fetch.hpp"
#include "common/program.hpp"
#include "event_loop.hpp"

int main(int argc, char** argv) {
    // Every request in flight holds a socket, and the default soft limit (often 1024 open
    // files) is too low for 10,000 at once. The soft limit may be raised up to the hard one.
    tour::raise_open_file_limit();
    const tour::ProgramInfo info{
        .name = "04_asio",
        .model = "Asio",
        .description = "Chapter 4 of the C++ concurrency tour: download every site from ONE thread. "
                       "An Asio event loop drives libcurl's multi interface; a coroutine per URL "
                       "suspends at co_await while its request waits, so all requests are in flight "
                       "together (the counterpart of asyncio.gather).",
        .workers_rule = tour::WorkersRule::zero_per_url,
        .default_workers = 0,
        .workers_help = "Most requests in flight at once; 0 (the default) means no cap: every URL at once "
                        "(lowered with a message if the open-file limit is smaller)",
    };
    return tour::run_download_program(argc, argv, info, [](const tour::DownloadJob& job) {
        const std::size_t cap = event_loop::in_flight_cap(job.workers, job.urls.size(), std::cerr);
        return event_loop::download_all(job.urls, job.fetch, cap, job.progress);
    });
}
