// What 05_cpu_bound prints: the Python demo's two lines per model,
//
//   Starting Serial computation of 20 tasks...
//   Serial computation of 20 tasks - Duration: S.SS seconds
//
// then a line of details (checksum, speed-up, CPU time, pre-emptions), and --json. Only the
// report goes to stdout; what failed or differed goes to stderr.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cpu_models.hpp"
#include "cpu_options.hpp"
#include "workload.hpp"

namespace cpu {

// CPU time and involuntary context switches (pre-emptions) of this process, its threads and
// its reaped children, from getrusage: a model's share is the difference around its run.
struct Usage {
    double cpu_seconds = 0;
    long involuntary_switches = 0;

    static Usage now();
    friend Usage operator-(const Usage& after, const Usage& before) {
        return {after.cpu_seconds - before.cpu_seconds, after.involuntary_switches - before.involuntary_switches};
    }
};

// One model's run.
struct ModelRun {
    explicit ModelRun(const Model& model) : key(model.key), name(model.name), workers(model.workers) {}

    std::string key, name;  // as in its cpu::Model
    int workers = 1;
    bool ran = false;                  // it returned results (false: it threw, see error)
    bool matches = false;              // ... and they equal the reference
    std::string error;
    double seconds = 0;                // wall time
    Usage usage;
    std::vector<TaskResult> results;   // one per task, in task order
};

// The work and its reference: "CPU-bound work: 20 tasks of 50,000 numbers from ..." (tasks of
// different sizes: "20 tasks of 4,761 to 95,238 numbers (999,990 in all) from ..."). `tasks` is
// not empty.
void print_work(std::ostream& out, std::span<const Task> tasks, std::span<const TaskResult> reference);

void print_starting(std::ostream& out, const std::string& model_name, std::size_t task_count);

// The Duration line on `out`, or FAILED with the reason on `err`; every task whose result
// differs from the reference on `err`.
void print_finished(std::ostream& out, std::ostream& err, const ModelRun& run, std::span<const Task> tasks,
                    std::span<const TaskResult> reference);

// "  checksum 0x... (matches the reference), 2 workers, N.NNx serial, CPU time S.SS s, N
// involuntary context switches". Nothing for a run that failed.
void print_details(std::ostream& out, const ModelRun& run, std::optional<double> serial_seconds,
                   std::span<const TaskResult> reference);

// The whole run for --json: the work, the reference, each model with its per-task results.
nlohmann::json to_json(const Options& options, std::span<const Task> tasks, std::span<const TaskResult> reference,
                       std::span<const ModelRun> runs);

// 0x0123456789abcdef: checksums in full, as the Python script prints them.
std::string hex(std::uint64_t n);

// `value` with `digits` decimals.
std::string fixed(double value, int digits);

}  // namespace cpu
