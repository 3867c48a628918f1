#include <CLI/CLI.hpp>

#include "cpu_options.hpp"

#include <thread>
#include <vector>

#include "common/options.hpp"
#include "cpu_models.hpp"
#include "workload.hpp"

namespace cpu {

int cores() {
    const unsigned n = std::thread::hardware_concurrency();  // 0 when it cannot tell
    return n == 0 ? 1 : static_cast<int>(n);
}

void add_options(CLI::App& app, Options& options) {
    options.workers = cores();  // like multiprocessing.Pool(): one per core
    std::vector<std::string> keys = {"all"};
    for (const Model& m : models(1, 1)) keys.push_back(m.key);
    app.add_option("--model", options.model,
                   "Which model: serial, threads, processes, event-loop, thread-pool, oversubscribed, par "
                   "(std::execution::par, only when built with libtbb-dev) or all (default)")
        ->check(CLI::IsMember(keys))->type_name("NAME");
    add_work_options(app, options);
    tour::add_workers_option(app, options.workers,
                             "Threads or processes for the threads, processes and thread-pool models (default: the "
                             "number of cores, " + std::to_string(options.workers) + " here; at most 1024)",
                             1, 1024);  // each may be a forked process: a typo must not fork a million
    app.add_option("--oversubscribe", options.oversubscribe, "Threads for the oversubscribed model (default 64)")
        ->transform(tour::finite_number)->check(CLI::Range(1, 4096))->type_name("N");
    auto* scaling = app.add_flag("--scaling", options.scaling,
                 "Instead of the models: time the serial model at 1/4, 1/2 and all of --size, to show the time grows "
                 "linearly with the work (nothing was optimised away)");
    app.add_flag("--false-sharing", options.false_sharing,
                 "Instead of the models: time --workers threads bumping per-thread counters that share a cache line, "
                 "then padded to a line each, then kept local (exercise 5.1)")
        ->excludes(scaling);  // each is instead of the models: asked for both, one would be dropped silently
    app.footer("Exit status: 0 every model matched the reference; 1 a model failed or differed; 2 bad usage.");
    tour::add_version_flag(app);

    // Checks that need more than one option; they run inside parse, so tour::parse_command_line
    // reports them like any other usage error (exit status 2).
    app.callback([&options] {
        check_work(options);
        if (options.model == "par" && !par_available()) {
            throw CLI::ValidationError("--model par", "std::execution::par is not in this build; install libtbb-dev and re-run cmake");
        }
    });
}

void add_work_options(CLI::App& app, Options& options) {
    app.add_option("--tasks", options.tasks, "How many tasks, like Real Python's 20 numbers (default 20)")
        ->transform(tour::finite_number)->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))->type_name("N");
    app.add_option("--size", options.size, "Numbers per task: the work of one task (default 50,000)")
        ->transform(tour::finite_number)->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000}))->type_name("N");
    app.add_option("--start", options.start, "The first number of the first task (default 1,000,000,000)")
        ->transform(tour::finite_number)->check(CLI::Range(std::uint64_t{0}, max_number))->type_name("N");
    app.add_option("--json", options.json_file, "Also write every model's results as JSON to FILE")
        ->check(tour::writable_file)->type_name("FILE");
}

void check_work(const Options& options) {
    // The sizes are capped by their options, so this sum cannot overflow.
    if (options.start + options.tasks * options.size > max_number) {
        throw CLI::ValidationError("--start/--tasks/--size", "the last number (start + tasks * size) must not exceed 10^13");
    }
}

}  // namespace cpu
