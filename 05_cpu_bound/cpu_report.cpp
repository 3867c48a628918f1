#include "cpu_report.hpp"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <ranges>
#include <sstream>

#include <sys/resource.h>

#include <nlohmann/json.hpp>

#include "common/report.hpp"
#include "common/text.hpp"

namespace cpu {

Usage Usage::now() {
    Usage u;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {  // children: the processes model's workers, once reaped
        rusage r{};
        getrusage(who, &r);
        u.cpu_seconds += static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
                         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
        u.involuntary_switches += r.ru_nivcsw;
    }
    return u;
}

std::string hex(std::uint64_t n) {
    char buffer[19];
    std::snprintf(buffer, sizeof buffer, "0x%016llx", static_cast<unsigned long long>(n));
    return buffer;
}

std::string fixed(double value, int digits) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << value;
    return s.str();
}

void print_work(std::ostream& out, std::span<const Task> tasks, std::span<const TaskResult> reference) {
    // Say what runs: equal tasks by their size, uneven ones (chapter 6's --uneven) by their range.
    const auto [smallest, largest] = std::ranges::minmax(tasks | std::views::transform(&Task::size));
    std::uint64_t numbers = 0;
    for (const Task& t : tasks) numbers += t.size();
    out << "CPU-bound work: " << tour::with_thousands(tasks.size()) << " tasks of ";
    if (smallest == largest) {
        out << tour::with_thousands(smallest) << " numbers";
    } else {
        out << tour::with_thousands(smallest) << " to " << tour::with_thousands(largest) << " numbers ("
            << tour::with_thousands(numbers) << " in all)";
    }
    out << " from " << tour::with_thousands(tasks.front().first) << ", primes counted by trial division; " << cores()
        << " cores\n"
        << "Reference (a sieve): " << tour::with_thousands(total_primes(reference)) << " primes, checksum "
        << hex(run_checksum(reference)) << "\n\n"
        << std::flush;
}

void print_starting(std::ostream& out, const std::string& model_name, std::size_t task_count) {
    out << "Starting " << model_name << " computation of " << task_count << " tasks...\n" << std::flush;
}

void print_finished(std::ostream& out, std::ostream& err, const ModelRun& run, std::span<const Task> tasks,
                    std::span<const TaskResult> reference) {
    if (!run.ran) {
        out << run.name << " computation of " << tasks.size() << " tasks - FAILED (see stderr)\n" << std::flush;
        err << run.name << ": " << run.error << '\n' << std::flush;
        return;
    }
    for (std::size_t i = 0; i < tasks.size() && !run.matches; ++i) {
        if (i < run.results.size() && run.results[i] == reference[i]) continue;
        err << run.name << ": task " << i << " [" << tasks[i].first << ", " << tasks[i].last << ") gave ";
        if (i < run.results.size()) {
            err << run.results[i].primes << " primes, checksum " << hex(run.results[i].checksum);
        } else {
            err << "no result";
        }
        err << "; the reference has " << reference[i].primes << ", " << hex(reference[i].checksum) << '\n';
    }
    err << std::flush;
    out << run.name << " computation of " << tasks.size() << " tasks - Duration: " << fixed(run.seconds, 2)
        << " seconds\n";
}

void print_details(std::ostream& out, const ModelRun& run, std::optional<double> serial_seconds,
                   std::span<const TaskResult> reference) {
    if (!run.ran) return;
    out << "  checksum " << hex(run_checksum(run.results))
        << (run.matches ? " (matches the reference)" : " DIFFERS from the reference " + hex(run_checksum(reference)));
    if (run.workers > 0) out << ", " << run.workers << (run.workers == 1 ? " worker" : " workers");
    if (serial_seconds && run.seconds > 0) out << ", " << fixed(*serial_seconds / run.seconds, 2) << "x serial";
    out << ", CPU time " << fixed(run.usage.cpu_seconds, 2) << " s, "
        << tour::with_thousands(static_cast<std::uint64_t>(run.usage.involuntary_switches))
        << " involuntary context switches\n"
        << std::flush;
}

nlohmann::json to_json(const Options& options, std::span<const Task> tasks, std::span<const TaskResult> reference,
                       std::span<const ModelRun> runs) {
    nlohmann::json models = nlohmann::json::array();
    bool all_ok = true;
    for (const ModelRun& run : runs) {
        nlohmann::json per_task = nlohmann::json::array();
        for (std::size_t i = 0; i < run.results.size() && i < tasks.size(); ++i) {
            per_task.push_back({{"first", tasks[i].first}, {"last", tasks[i].last}, {"primes", run.results[i].primes},
                                {"checksum", hex(run.results[i].checksum)}});
        }
        nlohmann::json model = {{"model", run.key}, {"name", run.name}, {"ok", run.ran && run.matches},
                                {"workers", run.workers}, {"seconds", run.seconds},
                                {"cpu_seconds", run.usage.cpu_seconds},
                                {"involuntary_context_switches", run.usage.involuntary_switches},
                                {"tasks", std::move(per_task)}};
        if (run.ran) model["checksum"] = hex(run_checksum(run.results));
        if (!run.error.empty()) model["error"] = run.error;
        all_ok = all_ok && run.ran && run.matches;
        models.push_back(std::move(model));
    }
    nlohmann::json reference_tasks = nlohmann::json::array();
    for (const TaskResult& r : reference) reference_tasks.push_back({{"primes", r.primes}, {"checksum", hex(r.checksum)}});
    return {{"program", "05_cpu_bound"},
            {"tasks", options.tasks},
            {"size", options.size},
            {"start", options.start},
            {"workers", options.workers},
            {"cores", cores()},
            {"reference",
             {{"checksum", hex(run_checksum(reference))}, {"primes", total_primes(reference)}, {"tasks", reference_tasks}}},
            {"models", std::move(models)},
            {"ok", all_ok}};
}

}  // namespace cpu
