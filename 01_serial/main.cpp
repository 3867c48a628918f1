// 01_serial: download every site one after another. The program's whole flow is here, the way
// the Python demo's `if __name__ == "__main__":` block shows it; the model is
// serial::download_all in serial.cpp.
//
//   ./build/01_serial/01_serial                               # 80 pages from the embedded simulator
//   ./build/01_serial/01_serial --urls url_list --repeat 10   # real sites (needs internet)
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "common/options.hpp"
#include "common/report.hpp"
#include "common/stop.hpp"
#include "simulator/sites.hpp"
#include "serial.hpp"

// [docs:main]
int main(int argc, char** argv) {
    CLI::App app{"Chapter 1 of the C++ concurrency tour: download every site one after another on one thread, "
                 "reusing one connection. The total time is the sum of all latencies: the baseline the other "
                 "chapters beat.",
                 "01_serial"};
    tour::Options options;
    tour::add_download_options(app, options);
    if (const auto exit_now = tour::parse_command_line(app, argc, argv)) return *exit_now;  // --help, or bad usage

    try {
        tour::CurlGlobal curl;                                 // once, before anything uses libcurl
        const tour::SiteList sites = tour::select_sites(options);  // set-up (may start the simulator): not timed
        tour::Progress progress = tour::Progress::for_terminal(sites.urls.size());
        // [docs:main_stop]
        tour::RunStop stop;  // the run's one stop: the deadline, Ctrl-C, SIGTERM, --fail-fast
        if (options.fail_fast) progress.stop_on_failure(stop);
        // Blocks SIGINT/SIGTERM (while this is the only thread) and turns them and the deadline
        // into stop.request(...) from a thread of its own; lives until the report is written.
        const tour::StopWatcher watcher(stop, options.deadline());
        // [/docs:main_stop]

        tour::print_starting(std::cout, "Serial", sites.urls.size());
        const tour::Clock::time_point start = tour::Clock::now();
        auto results = serial::download_all(sites.urls, options.fetch_options(), stop, progress);
        const double seconds = tour::seconds_since(start);
        progress.finish();
        tour::print_finished(std::cout, "Serial", sites.urls.size(), seconds);

        const tour::RunReport report{"Serial", 1, start, seconds, std::move(results), stop.reason()};
        tour::print_summary(std::cout, std::cerr, report);  // counts on stdout, each failure on stderr
        if (options.json_file) tour::write_json(*options.json_file, report);
        tour::end_by_stop_signal_at_exit(report.stop);  // Ctrl-C: once cleaned up, end by SIGINT, as a shell expects
        return tour::exit_status(report, sites.urls.size());  // 0 all fetched, 1 some failed, 130 Ctrl-C
    } catch (const tour::InputError& e) {  // a bad URL file, a simulator that would not start
        std::cerr << "01_serial: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "01_serial: error: " << e.what() << '\n';
        return 1;
    }
}
// [/docs:main]
