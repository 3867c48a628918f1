// The command line every program shares (DESIGN.md, "The command line"), built on CLI11.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/fetch.hpp"

namespace tour {

// What --workers means for a program.
enum class WorkersRule {
    none,          // the model has no workers (serial): only 1 is accepted
    positive,      // N >= 1
    zero_per_url,  // N >= 1, or 0 for "one worker per URL"
};

struct ProgramInfo {
    std::string name;          // "01_serial"
    std::string model;         // "Serial": the word in "Starting Serial download..."
    std::string description;   // one paragraph for --help
    WorkersRule workers_rule = WorkersRule::positive;
    int default_workers = 1;   // used when --workers is not given
    std::string workers_help;  // what --workers means here
};

struct Options {
    std::optional<std::filesystem::path> urls_file;  // --urls; unset = the embedded simulator
    std::size_t sites = 80;                          // --sites (simulator)
    int latency_ms = 150;                            // --latency-ms (simulator)
    std::uint64_t seed = 1;                          // --seed (simulator)
    std::size_t repeat = 1;                          // --repeat
    int workers = 1;                                 // --workers (after defaults are applied)
    double timeout_s = 30;                           // --timeout
    std::string cacert;                              // --cacert
    std::optional<std::filesystem::path> json_file;  // --json

    FetchOptions fetch_options() const;
};

// Add the shared options to `app` (for programs that add options of their own, like compare).
void add_common_options(CLI::App& app, Options& options, const ProgramInfo& info);

// Check values CLI11 cannot (the workers rule, ...); throws CLI::ValidationError.
void finish_options(Options& options, const ProgramInfo& info, bool workers_given);

struct ParseResult {
    std::optional<Options> options;  // set when the program should run
    int exit_code = 0;               // otherwise: 0 after --help/--version, 2 after an error
};

// Parse argv. --help and --version print to `out`; errors print to `err` with a hint.
ParseResult parse_command_line(int argc, const char* const* argv, const ProgramInfo& info,
                               std::ostream& out, std::ostream& err);

}  // namespace tour
