// Chapter 5's command line: the work (--tasks, --size, --start), the models (--model,
// --workers, --oversubscribe), the two experiments (--scaling, --false-sharing) and --json,
// on the same CLI11 pieces as the download programs (common/options.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace cpu {

struct Options {
    std::string model = "all";                       // --model: one model's key, or all of them
    std::size_t tasks = 20;                          // --tasks, like Real Python's 20 numbers
    std::uint64_t size = 50'000;                     // --size: numbers per task
    std::uint64_t start = 1'000'000'000;             // --start: the first number
    int workers = 1;                                 // --workers (add_options sets the core count)
    int oversubscribe = 64;                          // --oversubscribe: the oversubscribed model's threads
    bool scaling = false;                            // --scaling instead of the models
    bool false_sharing = false;                      // --false-sharing instead of the models
    std::optional<std::filesystem::path> json_file;  // --json

    bool selects(const std::string& model_key) const { return model == "all" || model == model_key; }
};

// The cores this machine has (at least 1): the default --workers.
int cores();

// Add every option of 05_cpu_bound, --version and the exit-status footer to `app`. Parsing then
// also refuses work past cpu::max_number, and --model par in a build without it.
void add_options(CLI::App& app, Options& options);

// The options of the work itself, shared with chapter 6 (06_mpi): --tasks, --size, --start, and
// --json FILE (checked writable while parsing).
void add_work_options(CLI::App& app, Options& options);

// Throws CLI::ValidationError when the last number (start + tasks * size) is past max_number.
// For the app's callback, which runs inside parsing: the error is reported like any usage error.
void check_work(const Options& options);

}  // namespace cpu
