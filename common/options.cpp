#include "common/options.hpp"

#include <cmath>
#include <iostream>

#include "common/version.hpp"

namespace tour {

FetchOptions Options::fetch_options() const {
    FetchOptions fetch;
    fetch.total_timeout = std::chrono::milliseconds(static_cast<long long>(std::llround(timeout_s * 1000)));
    // A connect timeout longer than the whole request would never fire.
    fetch.connect_timeout = std::min(fetch.connect_timeout, fetch.total_timeout);
    fetch.ca_file = cacert;
    return fetch;
}

const CLI::Validator not_empty(
    [](const std::string& value) { return value.empty() ? std::string("needs a value, got an empty string") : std::string(); },
    "", "NOT_EMPTY");

void add_version_flag(CLI::App& app) {
    app.set_version_flag("--version", app.get_name() + " (the C++ concurrency tour) " + std::string(tour_version));
}

void add_download_options(CLI::App& app, Options& options) {
    auto* urls = app.add_option("--urls", options.urls_file,
                                "Read the URLs from FILE: one per line, '#' comments, http:// or https:// only. "
                                "Default: the embedded site simulator on 127.0.0.1")
                     ->type_name("FILE");
    auto* sites = app.add_option("--sites", options.sites, "Simulator: how many URLs (default 80)")
                      ->check(not_empty)->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))->type_name("N");
    auto* latency = app.add_option("--latency-ms", options.latency_ms,
                                   "Simulator: mean latency per page; each page waits between M/2 and 3M/2 "
                                   "(default 150)")
                        ->check(not_empty)->check(CLI::Range(0, 60'000))->type_name("M");
    auto* seed = app.add_option("--seed", options.seed, "Simulator: seed of its deterministic latencies and sizes (default 1)")
                     ->check(not_empty)->type_name("S");
    urls->excludes(sites)->excludes(latency)->excludes(seed);
    app.add_option("--repeat", options.repeat, "Use the URL list N times, like the Python demo's list * 10 (default 1)")
        ->check(not_empty)->check(CLI::Range(std::size_t{1}, std::size_t{100'000}))->type_name("N");
    app.add_option("--timeout", options.timeout_s, "Seconds one request may take in total (default 30)")
        ->check(not_empty)->check(CLI::Range(0.001, 86'400.0))->type_name("SEC");
    app.add_option("--cacert", options.cacert, "A CA bundle to trust, as with curl --cacert (for a self-signed local server)")
        ->type_name("FILE");
    app.add_option("--json", options.json_file, "Also write every result and the totals as JSON to FILE")
        ->type_name("FILE");
    app.footer("Exit status: 0 every URL fetched; 1 some failed (each is listed on stderr); 2 bad usage or input.");
    add_version_flag(app);
}

CLI::Option* add_workers_option(CLI::App& app, int& workers, const std::string& help, int minimum) {
    return app.add_option("--workers", workers, help)
        ->check(not_empty)
        ->check(CLI::Range(minimum, 1'000'000))
        ->type_name("N");
}

std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // Prints the help or the version (exit 0), or the error with CLI11's "Run with --help" hint.
        return app.exit(e, std::cout, std::cerr) == 0 ? 0 : 2;
    }
    return std::nullopt;
}

}  // namespace tour
