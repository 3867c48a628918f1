// The command line every download program shares (--urls, --sites, --latency-ms, --seed,
// --repeat, --timeout, --deadline, --fail-fast, --cacert, --json, --version), built on CLI11. Each chapter's main.cpp
// makes its own CLI::App, adds these, adds --workers if its model has workers (saying what a
// worker is there), and parses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

// Only declared here: CLI11 is a large header-only library, and the many files that need just
// tour::Options (the simulator's client, the tests) should not compile it. A main.cpp that
// builds a CLI::App includes <CLI/CLI.hpp> itself.
namespace CLI {
class App;
class Option;
class Validator;
}  // namespace CLI

#include "common/fetch.hpp"

namespace tour {

struct Options {
    std::optional<std::filesystem::path> urls_file;  // --urls; unset = the embedded simulator
    std::size_t sites = 80;                          // --sites (simulator)
    int latency_ms = 150;                            // --latency-ms (simulator)
    std::uint64_t seed = 1;                          // --seed (simulator)
    std::size_t repeat = 1;                          // --repeat
    double timeout_s = 30;                           // --timeout
    std::string cacert;                              // --cacert
    std::optional<std::filesystem::path> json_file;  // --json
    std::optional<double> deadline_s;                // --deadline: the whole run, in seconds
    bool fail_fast = false;                          // --fail-fast: the first failure stops the run

    FetchOptions fetch_options() const;
    // --deadline as a duration for StopWatcher (common/stop.hpp); nullopt when not given.
    std::optional<Clock::duration> deadline() const;
};

// Add the shared download options, --version and the exit-status footer to `app`.
void add_download_options(CLI::App& app, Options& options);

// --workers N, with the program's own meaning and default (`workers` holds the default when the
// option is not given). `minimum` is 1, or 0 where 0 means "one per URL"; `maximum` is the
// program's own cap, the one range --help shows.
CLI::Option* add_workers_option(CLI::App& app, int& workers, const std::string& help, int minimum,
                                int maximum = 1'000'000);

// --version, printing "<app name> (the C++ concurrency tour) <version>".
void add_version_flag(CLI::App& app);

// Every number option's first step, added with ->transform() (it rewrites the value, and runs
// before the checks): not empty (CLI11 2.1 converts `--workers ""` to 0 without complaint, which would
// quietly mean "one thread per URL" or "no latency"), and a finite *decimal* number, leading zeros
// dropped. NaN passes every range check (each comparison with NaN is false), and `--timeout
// nan` would switch the timeout off; infinity is no limit either. CLI11 2.1 reads integers with
// strtol base 0: "010" would be 8 and "0x10" 16.
extern const CLI::Validator finite_number;

// --seed: a decimal whole number from 0 to 2^64-1 (->transform(), as above). CLI11 2.1 would
// wrap -1 and clamp an overflow to 18446744073709551615 without a word.
extern const CLI::Validator unsigned_64;

// Paths are checked while parsing, before any work, with the system's reason (see
// cannot_read/cannot_write in common/output_file.hpp): an input must open for reading, an output's
// directory must let us create a file.
extern const CLI::Validator readable_file;
extern const CLI::Validator writable_file;

// Parse argv into what was added to `app`. Returns std::nullopt when the program should run;
// otherwise the exit status main returns at once: 0 after --help or --version (printed on
// stdout), 2 after a usage error (printed on stderr with a hint), also when an output is the
// same file as another input or output (same_file_twice in common/output_file.hpp).
std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv);

}  // namespace tour
