// 04_asio: download every site from one thread, with an Asio event loop and coroutines. The
// program's whole flow is here; the model is event_loop::download_all in event_loop.cpp, and the
// bridge between Asio and libcurl is event_loop::AsyncHttpClient in async_http_client.cpp.
//
//   ./build/04_asio/04_asio                          # 80 pages from the embedded simulator
//   ./build/04_asio/04_asio --sites 10000 --latency-ms 20
//   ./build/04_asio/04_asio --workers 100            # at most 100 requests in flight
//   ./build/04_asio/04_asio --deadline 0.1           # stop after 100 ms: the rest is "cancelled (deadline)"
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "common/options.hpp"
#include "common/posix.hpp"
#include "common/report.hpp"
#include "common/stop.hpp"
#include "simulator/sites.hpp"
#include "event_loop.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Chapter 4 of the C++ concurrency tour: download every site from ONE thread. An Asio event loop "
                 "drives libcurl's multi interface; a coroutine per URL suspends at co_await while its request "
                 "waits, so all requests are in flight together (the counterpart of asyncio.gather).",
                 "04_asio"};
    tour::Options options;
    tour::add_download_options(app, options);
    int workers = 0;  // no cap, like asyncio.gather over every URL
    tour::add_workers_option(app, workers,
                             "Most requests in flight at once; 0 (the default) means no cap: every URL at once "
                             "(lowered with a message if the open-file limit is smaller)",
                             0);
    if (const auto exit_now = tour::parse_command_line(app, argc, argv)) return *exit_now;  // --help, or bad usage

    try {
        // Every request in flight holds a socket, and the usual soft limit (1024 open files) is
        // too low for 10,000 at once. A process may raise its soft limit up to the hard one.
        tour::raise_open_file_limit();
        tour::CurlGlobal curl;  // once, before anything uses libcurl
        const tour::SiteList sites = tour::select_sites(options);  // set-up (may start the simulator): not timed
        tour::Progress progress = tour::Progress::for_terminal(sites.urls.size());
        const std::size_t cap = event_loop::in_flight_cap(workers, sites.urls.size(), std::cerr);  // 0: no cap
        tour::RunStop stop;  // the run's one stop: the deadline, Ctrl-C, SIGTERM, --fail-fast
        if (options.fail_fast) progress.stop_on_failure(stop);
        // No watcher thread here: the loop itself watches the signals and the deadline
        // (event_loop/loop_stop.hpp), while download_all runs.

        tour::print_starting(std::cout, "Event loop", sites.urls.size());
        const tour::Clock::time_point start = tour::Clock::now();
        auto results = event_loop::download_all(sites.urls, options.fetch_options(), cap, stop, options.deadline(), progress);
        const double seconds = tour::seconds_since(start);
        progress.finish();
        tour::print_finished(std::cout, "Event loop", sites.urls.size(), seconds);

        const int lanes = static_cast<int>(cap == 0 ? sites.urls.size() : cap);
        const tour::RunReport report{"Event loop", lanes, start, seconds, std::move(results), stop.reason()};
        tour::print_summary(std::cout, std::cerr, report);  // counts on stdout, each failure on stderr
        if (options.json_file) tour::write_json(*options.json_file, report);
        tour::end_by_stop_signal_at_exit(report.stop);  // Ctrl-C: once cleaned up, end by SIGINT, as a shell expects
        return tour::exit_status(report, sites.urls.size());  // 0 all fetched, 1 some failed, 130 Ctrl-C
    } catch (const tour::InputError& e) {  // a bad URL file, a simulator that would not start
        std::cerr << "04_asio: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "04_asio: error: " << e.what() << '\n';
        return 1;
    }
}
