// 04_asio_threads: the event loop of 04_asio, plus CPU work for every page (parsing, hashing,
// TLS: here a stand-in, --work). The network stays on one thread; the pages' work runs on an
// io_context that --workers threads run; a strand serialises the tally. The model is
// threaded_loop::download_and_process in threaded_loop.cpp (docs/deep/04-strands.md, from
// "Several threads, one io_context" in docs/04-asio.md).
//
//   ./build/04_asio/04_asio_threads                     # 80 pages, 2,000,000 rounds each, threads = cores
//   ./build/04_asio/04_asio_threads --workers 1         # the same work on one CPU thread
//   ./build/04_asio/04_asio_threads --work 0            # no CPU work: threads change nothing
#include <cstdint>
#include <exception>
#include <iomanip>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "common/options.hpp"
#include "common/posix.hpp"
#include "common/report.hpp"
#include "common/stop.hpp"
#include "common/text.hpp"
#include "simulator/sites.hpp"
#include "threaded_loop.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Chapter 4 of the C++ concurrency tour: the event loop when every page also costs CPU time. One "
                 "thread drives every download (libcurl's multi handle is not thread-safe); each page's CPU work "
                 "is posted to an io_context run by --workers threads; a strand serialises the shared tally.",
                 "04_asio_threads"};
    tour::Options options;
    tour::add_download_options(app, options);
    int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    tour::add_workers_option(app, workers, "Threads running the pages' CPU work (default: one per core)", 1, 256);
    std::uint64_t work = 2'000;
    app.add_option("--work", work,
                   "CPU work per page, in thousands of rounds of a 64-bit mixing function (default 2000: "
                   "about 9 ms of CPU on the tour's 2-core test machine; 0: none)")
        ->transform(tour::unsigned_64)
        ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1'000'000}))
        ->type_name("N");
    if (const auto exit_now = tour::parse_command_line(app, argc, argv)) return *exit_now;  // --help, or bad usage

    try {
        tour::raise_open_file_limit();  // a socket per request in flight, as in 04_asio
        tour::CurlGlobal curl;          // once, before any thread
        const tour::SiteList sites = tour::select_sites(options);  // set-up: not timed
        tour::Progress progress = tour::Progress::for_terminal(sites.urls.size());
        tour::RunStop stop;  // the deadline, Ctrl-C, SIGTERM, --fail-fast: watched by the network loop
        if (options.fail_fast) progress.stop_on_failure(stop);

        tour::print_starting(std::cout, "Event loop + CPU threads", sites.urls.size());
        const tour::Clock::time_point start = tour::Clock::now();
        auto outcome = threaded_loop::download_and_process(sites.urls, options.fetch_options(), workers,
                                                           work * 1'000, stop, options.deadline(), progress);
        const double seconds = tour::seconds_since(start);
        progress.finish();
        tour::print_finished(std::cout, "Event loop + CPU threads", sites.urls.size(), seconds);
        std::cout << "  CPU work: " << outcome.finish_order.size() << " pages x " << tour::with_thousands(work * 1'000)
                  << " rounds on " << workers << (workers == 1 ? " thread" : " threads") << " (" << outcome.work_threads
                  << " of them used), digest 0x" << std::hex << std::setw(16) << std::setfill('0') << outcome.digest
                  << std::dec << std::setfill(' ');
        if (outcome.work_stopped > 0) std::cout << "; stopped before the work of " << outcome.work_stopped << " more";
        std::cout << '\n';

        const int lanes = static_cast<int>(sites.urls.size());  // every request in flight at once
        const tour::RunReport report{"Event loop + CPU threads", lanes, start, seconds, std::move(outcome.results),
                                     stop.reason()};
        tour::print_summary(std::cout, std::cerr, report);
        if (options.json_file) tour::write_json(*options.json_file, report);
        tour::end_by_stop_signal_at_exit(report.stop);  // Ctrl-C: once cleaned up, end by SIGINT, as a shell expects
        return tour::exit_status(report, sites.urls.size());  // 0 all fetched, 1 some failed, 130 Ctrl-C
    } catch (const tour::InputError& e) {
        std::cerr << "04_asio_threads: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "04_asio_threads: error: " << e.what() << '\n';
        return 1;
    }
}
