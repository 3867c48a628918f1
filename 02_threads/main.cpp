// 02_threads: download every site with a pool of threads. The program's whole flow is here; the
// model is threads::download_all in threads.cpp.
//
//   ./build/02_threads/02_threads                  # 80 simulated pages, 10 threads
//   ./build/02_threads/02_threads --workers 0      # one thread per URL
//   ./build/02_threads/02_threads --model futures  # one std::async task per URL, 10 in flight
//   ./build/02_threads/02_threads --urls url_list --repeat 10   # real sites (needs internet)
#include <algorithm>
#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "common/options.hpp"
#include "common/posix.hpp"  // the open-file limit
#include "common/report.hpp"
#include "common/stop.hpp"
#include "simulator/sites.hpp"
#include "futures.hpp"
#include "threads.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Chapter 2 of the C++ concurrency tour: download the sites with a pool of threads, each with its "
                 "own connection, taking the next URL from a shared atomic counter. While one thread waits for the "
                 "network, the others wait for theirs: the waits overlap.",
                 "02_threads"};
    tour::Options options;
    tour::add_download_options(app, options);
    int workers = 10;  // like the demo's ThreadPoolExecutor(max_workers=10)
    tour::add_workers_option(app, workers, "Threads in the pool, or with --model futures the requests in flight "
                             "(default 10); 0 starts one thread per URL", 0);
    std::string model = "pool";
    app.add_option("--model", model, "pool (default): --workers threads take URLs from a shared counter; futures: one "
                   "std::async task per URL, a std::counting_semaphore lets --workers of them fetch at once")
        ->check(CLI::IsMember({"pool", "futures"}));
    if (const auto exit_now = tour::parse_command_line(app, argc, argv)) return *exit_now;  // --help, or bad usage

    try {
        // [docs:main_before_threads]
        tour::CurlGlobal curl;  // in main, while this is the only thread: see common/fetch.hpp
        // [/docs:main_before_threads]
        const tour::SiteList sites = tour::select_sites(options);  // set-up (may start the simulator): not timed
        // Each thread's session holds 3 file descriptors (common/posix.hpp): no more threads than
        // the open-file limit has room for.
        tour::raise_open_file_limit();
        workers = static_cast<int>(tour::cap_by_open_files(workers, sites.urls.size(), 3, "02_threads", std::cerr));
        tour::Progress progress = tour::Progress::for_terminal(sites.urls.size());
        tour::RunStop stop;  // the run's one stop: the deadline, Ctrl-C, SIGTERM, --fail-fast
        if (options.fail_fast) progress.stop_on_failure(stop);
        // Blocks SIGINT/SIGTERM here, while this is the only thread: every thread started later
        // inherits the mask, so the watcher's thread is the one place a signal arrives (as data).
        const tour::StopWatcher watcher(stop, options.deadline());

        const bool futures = model == "futures";
        const char* name = futures ? "Futures" : "Threads";
        tour::print_starting(std::cout, name, sites.urls.size());
        const tour::Clock::time_point start = tour::Clock::now();
        auto results = futures ? threads::download_with_futures(sites.urls, options.fetch_options(), workers, stop, progress)
                               : threads::download_all(sites.urls, options.fetch_options(), workers, stop, progress);
        const double seconds = tour::seconds_since(start);
        progress.finish();
        tour::print_finished(std::cout, name, sites.urls.size(), seconds);

        // The threads that really ran: never more than URLs (0 meant one per URL; futures: one per URL).
        const int pool_size = static_cast<int>(workers == 0 || futures ? sites.urls.size() : std::min<std::size_t>(workers, sites.urls.size()));
        const tour::RunReport report{name, pool_size, start, seconds, std::move(results), stop.reason()};
        tour::print_summary(std::cout, std::cerr, report);  // counts on stdout, each failure on stderr
        if (options.json_file) tour::write_json(*options.json_file, report);
        tour::end_by_stop_signal_at_exit(report.stop);  // Ctrl-C: once cleaned up, end by SIGINT, as a shell expects
        return tour::exit_status(report, sites.urls.size());  // 0 all fetched, 1 some failed, 130 Ctrl-C
    } catch (const tour::InputError& e) {  // a bad URL file, a simulator that would not start
        std::cerr << "02_threads: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "02_threads: error: " << e.what() << '\n';
        return 1;
    }
}
