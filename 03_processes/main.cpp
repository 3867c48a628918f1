// 03_processes: download every site with a pool of worker processes. The program's whole flow is
// here; the model is processes::download_all in processes.cpp.
//
//   ./build/03_processes/03_processes                 # 80 simulated pages, one process per core
//   ./build/03_processes/03_processes --workers 80    # one process per URL
//   ./build/03_processes/03_processes --urls url_list --repeat 10   # real sites (needs internet)
#include <algorithm>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "common/options.hpp"
#include "common/report.hpp"
#include "simulator/sites.hpp"
#include "processes.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Chapter 3 of the C++ concurrency tour: download the sites with a pool of forked worker processes, "
                 "each with its own connection. The parent deals the URLs one at a time through a pipe per worker "
                 "and reads the results back through another; a worker that crashes costs the URL it held, which "
                 "is reported. --deadline, a first Ctrl-C or SIGTERM, or --fail-fast stops the run: the parent closes every "
                 "worker's task pipe, each aborts its request, and every URL not fetched is reported as cancelled.",
                 "03_processes"};
    tour::Options options;
    tour::add_download_options(app, options);
    int workers = processes::default_workers();  // like multiprocessing.Pool(): one per core
    tour::add_workers_option(app, workers, "Worker processes (default: the number of cores, like multiprocessing.Pool())", 1);
    if (const auto exit_now = tour::parse_command_line(app, argc, argv)) return *exit_now;  // --help, or bad usage

    try {
        // Nothing before the model starts a thread or makes a curl handle (the simulator is a
        // separate process), so this process is still single-threaded when the model forks.
        tour::CurlGlobal curl;
        const tour::SiteList sites = tour::select_sites(options);  // set-up (may start the simulator): not timed
        tour::Progress progress = tour::Progress::for_terminal(sites.urls.size());
        tour::RunStop stop;  // --deadline, the first Ctrl-C or SIGTERM, or --fail-fast (docs/03-processes.md#stopping)
        if (options.fail_fast) progress.stop_on_failure(stop);
        // SIGINT and SIGTERM become data for the model's poll() loop, not a handler; blocked from
        // here on, so the workers forked next inherit them blocked. No thread needed, none allowed.
        tour::StopSignals signals;

        tour::print_starting(std::cout, "Processes", sites.urls.size());
        const tour::Clock::time_point start = tour::Clock::now();
        auto results = processes::download_all(sites.urls, options.fetch_options(), workers, progress,
                                               {&stop, &signals, options.deadline()});
        const double seconds = tour::seconds_since(start);
        progress.finish();
        tour::print_finished(std::cout, "Processes", sites.urls.size(), seconds);

        const int pool_size = static_cast<int>(std::min<std::size_t>(workers, sites.urls.size()));  // processes forked
        const tour::RunReport report{"Processes", pool_size, start, seconds, std::move(results), stop.reason()};
        tour::print_summary(std::cout, std::cerr, report);  // counts on stdout, each failure on stderr
        if (options.json_file) tour::write_json(*options.json_file, report);
        tour::end_by_stop_signal_at_exit(report.stop);  // Ctrl-C: once cleaned up, end by SIGINT, as a shell expects
        return tour::exit_status(report, sites.urls.size());  // 0 all fetched, 1 some failed, 130 Ctrl-C
    } catch (const tour::InputError& e) {  // a bad URL file, a simulator that would not start
        std::cerr << "03_processes: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "03_processes: error: " << e.what() << '\n';
        return 1;
    }
}
