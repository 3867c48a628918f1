#include "common/program.hpp"

#include <exception>
#include <iostream>

#include "common/sites.hpp"
#include "common/url_list.hpp"

namespace tour {

int effective_workers(const ProgramInfo& info, int workers, std::size_t url_count) {
    if (info.workers_rule == WorkersRule::zero_per_url && workers == 0) return static_cast<int>(url_count);
    return workers;
}

int run_download_program(int argc, const char* const* argv, const ProgramInfo& info, const DownloadModel& model) {
    ParseResult parsed = parse_command_line(argc, argv, info, std::cout, std::cerr);
    if (!parsed.options) return parsed.exit_code;
    const Options& options = *parsed.options;

    try {
        CurlGlobal curl;  // before any thread exists (curl_global_init is not thread-safe)
        SiteList sites = select_sites(options);  // set-up: not part of the measured time
        const FetchOptions fetch = options.fetch_options();
        Progress progress = Progress::for_terminal(sites.urls.size());

        RunReport report;
        report.model = info.model;
        report.workers = effective_workers(info, options.workers, sites.urls.size());
        // [docs:timed_region]
        print_starting(std::cout, info.model, sites.urls.size());

        report.run_start = Clock::now();
        report.results = model(DownloadJob{sites.urls, fetch, options.workers, progress});
        report.seconds = std::chrono::duration<double>(Clock::now() - report.run_start).count();
        progress.finish();
        print_finished(std::cout, info.model, sites.urls.size(), report.seconds);
        // [/docs:timed_region]
        if (report.results.size() != sites.urls.size()) {
            // A model that loses URLs is a bug in the model; say so rather than report success.
            std::cerr << info.name << ": the model returned " << report.results.size() << " results for "
                      << sites.urls.size() << " URLs\n";
            return 1;
        }
        print_summary(std::cout, std::cerr, report);
        if (options.json_file) write_json(*options.json_file, report);
        return exit_status(report.results);
    } catch (const InputError& e) {
        std::cerr << info.name << ": " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << info.name << ": error: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace tour
