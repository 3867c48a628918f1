#include "common/options.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "common/output_file.hpp"
#include "common/posix.hpp"
#include "common/text.hpp"
#include "common/url_list.hpp"

namespace tour {

FetchOptions Options::fetch_options() const {
    FetchOptions fetch;
    fetch.total_timeout = std::chrono::milliseconds(static_cast<long long>(std::llround(timeout_s * 1000)));
    // A connect timeout longer than the whole request would never fire.
    fetch.connect_timeout = std::min(fetch.connect_timeout, fetch.total_timeout);
    fetch.ca_file = cacert;
    return fetch;
}

std::optional<Clock::duration> Options::deadline() const {
    if (!deadline_s) return std::nullopt;
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*deadline_s));
}

const CLI::Validator finite_number(
    [](std::string& value) {
        if (value.empty()) return std::string("needs a value, got an empty string");
        const auto decimal = plain_decimal(value);
        if (!decimal) {
            char* end = nullptr;
            const double number = std::strtod(value.c_str(), &end);
            const bool nan_or_inf = end != value.c_str() && *end == '\0' && !std::isfinite(number);
            return std::string(nan_or_inf ? "needs a finite number" : "needs a decimal number") + ", got '" +
                   printable(value, 40) + "'";
        }
        if (!std::isfinite(std::strtod(decimal->c_str(), nullptr))) {  // 1e999
            return "needs a finite number, got '" + printable(value, 40) + "'";
        }
        value = *decimal;  // "010" is ten, not CLI11's octal eight
        return std::string();
    },
    "", "DECIMAL");

const CLI::Validator unsigned_64(
    [](std::string& value) {
        const auto decimal = plain_decimal(value);
        std::uint64_t number = 0;
        const std::string digits = decimal.value_or("");
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
        if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
            return "needs a whole number from 0 to 18446744073709551615, got '" + printable(value, 40) + "'";
        }
        value = digits;
        return std::string();
    },
    "", "UINT64");

const CLI::Validator readable_file(
    [](const std::string& value) { return cannot_read(value).value_or(""); }, "", "READABLE");

const CLI::Validator writable_file(
    [](const std::string& value) { return cannot_write(value).value_or(""); }, "", "WRITABLE");

void add_version_flag(CLI::App& app) {
    app.set_version_flag("--version", app.get_name() + " (the C++ concurrency tour) " + TOUR_VERSION);
}

void add_download_options(CLI::App& app, Options& options) {
    const std::string limits = "at most " + with_thousands(max_urls) + " URLs in all (after --repeat), lines of " +
                               with_thousands(max_url_line_bytes / 1024) + " KiB, a file of " +
                               with_thousands(max_url_file_bytes >> 20) + " MiB";
    auto* urls = app.add_option("--urls", options.urls_file,
                                "Read the URLs from FILE: one per line, '#' comments, http:// or https:// only; " +
                                    limits + ". Default: the embedded site simulator on 127.0.0.1")
                     ->check(readable_file)->type_name("FILE");
    auto* sites = app.add_option("--sites", options.sites, "Simulator: how many URLs (default 80)")
                      ->transform(finite_number)->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))->type_name("N");
    auto* latency = app.add_option("--latency-ms", options.latency_ms,
                                   "Simulator: mean latency per page; each page waits between M/2 and 3M/2 "
                                   "(default 150)")
                        ->transform(finite_number)->check(CLI::Range(0, 60'000))->type_name("M");
    auto* seed = app.add_option("--seed", options.seed,
                                "Simulator: seed of its deterministic latencies and sizes, 0 to 18446744073709551615 "
                                "(default 1)")
                     ->transform(unsigned_64)->type_name("S");
    urls->excludes(sites)->excludes(latency)->excludes(seed);
    app.add_option("--repeat", options.repeat,
                   "Use the URL list N times, like the Python demo's list * 10 (default 1; " + limits + ")")
        ->transform(finite_number)->check(CLI::Range(std::size_t{1}, std::size_t{100'000}))->type_name("N");
    app.add_option("--timeout", options.timeout_s, "Seconds one request may take in total (default 30)")
        ->transform(finite_number)->check(CLI::Range(0.001, 86'400.0))->type_name("SEC");
    app.add_option("--deadline", options.deadline_s,
                   "Seconds the whole run may take: then no new request starts, the ones in flight are aborted, and "
                   "every URL not fetched is reported as 'cancelled (deadline)' (exit 1)")
        ->transform(finite_number)->check(CLI::Range(0.001, 604'800.0))->type_name("SEC");
    app.add_flag("--fail-fast", options.fail_fast,
                 "Stop the run at the first URL that fails: the rest are cancelled the same way");
    app.add_option("--cacert", options.cacert, "A CA bundle to trust, as with curl --cacert (for a self-signed local server)")
        ->check(readable_file)->type_name("FILE");
    app.add_option("--json", options.json_file, "Also write every result and the totals as JSON to FILE")
        ->check(writable_file)->type_name("FILE");
    app.footer("Ctrl-C (SIGINT) or SIGTERM stops the run the same way and still writes the report and --json; a "
               "second one ends the program at once.\n"
               "Exit status: 0 every URL fetched; 1 some failed or were cancelled (each failure is listed on stderr); "
               "2 bad usage or input; 130 stopped by Ctrl-C; 143 stopped by SIGTERM.");
    add_version_flag(app);
}

CLI::Option* add_workers_option(CLI::App& app, int& workers, const std::string& help, int minimum, int maximum) {
    return app.add_option("--workers", workers, help)
        ->transform(finite_number)
        ->check(CLI::Range(minimum, maximum))
        ->type_name("N");
}

std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {
        // CLI11 2.1 acts on --help and --version before it looks for stray words: `--version x`
        // would print the version and exit 0. A stray word is a usage error, whatever else is there.
        if (!app.remaining().empty()) return app.exit(CLI::ExtrasError(app.remaining()), std::cout, std::cerr) == 0 ? 0 : 2;
        return app.exit(e, std::cout, std::cerr) == 0 ? 0 : 2;
    } catch (const CLI::ParseError& e) {
        // Prints the help or the version (exit 0), or the error with CLI11's "Run with --help" hint.
        return app.exit(e, std::cout, std::cerr) == 0 ? 0 : 2;
    }
    if (const auto clash = same_file_twice(app)) {  // `--urls L --json L` would replace the list
        std::cerr << *clash << "\n";
        return 2;
    }
    return std::nullopt;
}

}  // namespace tour
