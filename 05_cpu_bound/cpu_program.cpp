// Chapter 5's plumbing: command line, set-up, timing, checks and report.
#include "cpu_program.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <new>
#include <iomanip>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/version.hpp"
#include "cpu_models.hpp"
#include "false_sharing_demo.hpp"

namespace cpu {
namespace {

constexpr const char* program_name = "05_cpu_bound";

struct Options {
    std::string model = "all";
    long long tasks = 20;
    long long size = 50'000;
    long long start = 1'000'000'000;
    long long workers = 1;
    long long oversubscribe = 64;
    bool scaling = false;
    bool false_sharing = false;
    std::optional<std::string> json_file;
};

struct Model {
    std::string key;   // --model value
    std::string name;  // the word in "Starting Serial computation..."
    int workers;       // threads or processes it uses
    std::function<std::vector<TaskResult>(std::span<const Task>)> run;
};

// Serial first (the baseline), processes second: fork must happen before this process has
// ever had a second thread alive. TBB's threads outlive run_par, so par goes last.
std::vector<Model> all_models(const Options& o) {
    const int w = static_cast<int>(o.workers), over = static_cast<int>(o.oversubscribe);
    return {
        {"serial", "Serial", 1, [](auto t) { return run_serial(t); }},
        {"processes", "Processes", w, [w](auto t) { return run_processes(t, w); }},
        {"threads", "Threads", w, [w](auto t) { return run_threads(t, w); }},
        {"event-loop", "Event loop", 1, [](auto t) { return run_event_loop(t); }},
        {"thread-pool", "Thread pool", w, [w](auto t) { return run_thread_pool(t, w); }},
        {"oversubscribed", "Oversubscribed threads", over, [over](auto t) { return run_oversubscribed(t, over); }},
        {"par", "Parallel algorithm", 0, [](auto t) { return run_par(t); }},
    };
}

std::string thousands(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
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

// CPU time and context switches of this process, its threads and its reaped children.
struct Usage {
    double cpu_seconds = 0;
    long involuntary_switches = 0;
};

Usage usage_now() {
    Usage u;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
        rusage r{};
        getrusage(who, &r);
        u.cpu_seconds += static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
        u.involuntary_switches += r.ru_nivcsw;
    }
    return u;
}

struct Outcome {
    std::string key, name;
    int workers = 1;
    bool ran = false, matches = false;
    std::string error;
    double seconds = 0;
    Usage usage;
    std::vector<TaskResult> results;
};

Outcome run_one(const Model& model, std::span<const Task> tasks, const std::vector<TaskResult>& reference,
                std::ostream& out, std::ostream& err) {
    Outcome o;
    o.key = model.key;
    o.name = model.name;
    o.workers = model.workers;
    out << "Starting " << model.name << " computation of " << tasks.size() << " tasks...\n" << std::flush;
    const Usage before = usage_now();
    const auto start = std::chrono::steady_clock::now();
    try {
        o.results = model.run(tasks);
        o.ran = true;
    } catch (const std::exception& e) {
        o.error = e.what();
    }
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const Usage after = usage_now();
    o.usage = {after.cpu_seconds - before.cpu_seconds, after.involuntary_switches - before.involuntary_switches};
    if (!o.ran) {
        out << model.name << " computation of " << tasks.size() << " tasks - FAILED (see stderr)\n" << std::flush;
        err << model.name << ": " << o.error << '\n' << std::flush;
        return o;
    }
    o.matches = o.results == reference;
    if (!o.matches) {
        for (std::size_t i = 0; i < tasks.size(); ++i) {
            if (!(o.results[i] == reference[i])) {
                err << model.name << ": task " << i << " [" << tasks[i].first << ", " << tasks[i].last << ") gave "
                    << o.results[i].primes << " primes, checksum " << hex(o.results[i].checksum) << "; the reference has "
                    << reference[i].primes << ", " << hex(reference[i].checksum) << '\n';
            }
        }
        err << std::flush;
    }
    out << model.name << " computation of " << tasks.size() << " tasks - Duration: " << fixed(o.seconds, 2) << " seconds\n";
    return o;
}

void print_details(std::ostream& out, const Outcome& o, std::optional<double> serial_seconds, std::uint64_t reference_checksum) {
    if (!o.ran) return;
    out << "  checksum " << hex(run_checksum(o.results))
        << (o.matches ? " (matches the reference)" : " DIFFERS from the reference " + hex(reference_checksum));
    if (o.workers > 0) out << ", " << o.workers << (o.workers == 1 ? " worker" : " workers");
    if (serial_seconds && o.seconds > 0) out << ", " << fixed(*serial_seconds / o.seconds, 2) << "x serial";
    out << ", CPU time " << fixed(o.usage.cpu_seconds, 2) << " s, " << thousands(static_cast<std::uint64_t>(o.usage.involuntary_switches))
        << " involuntary context switches\n" << std::flush;
}

nlohmann::json outcome_json(const Outcome& o, std::span<const Task> tasks) {
    nlohmann::json per_task = nlohmann::json::array();
    for (std::size_t i = 0; i < o.results.size(); ++i) {
        per_task.push_back({{"first", tasks[i].first}, {"last", tasks[i].last}, {"primes", o.results[i].primes},
                            {"checksum", hex(o.results[i].checksum)}});
    }
    nlohmann::json j = {{"model", o.key}, {"name", o.name}, {"ok", o.ran && o.matches}, {"workers", o.workers},
                        {"seconds", o.seconds}, {"cpu_seconds", o.usage.cpu_seconds},
                        {"involuntary_context_switches", o.usage.involuntary_switches}, {"tasks", per_task}};
    if (o.ran) j["checksum"] = hex(run_checksum(o.results));
    if (!o.error.empty()) j["error"] = o.error;
    return j;
}

// --scaling: the serial model at a quarter, half and all of --size. If the compiler had
// folded the work away, the times would not double with the size.
int run_scaling(const Options& o, std::ostream& out, std::ostream& err) {
    const auto size = static_cast<std::uint64_t>(o.size);
    out << "Linear scaling: the serial model on " << o.tasks << " tasks at three sizes; the time per number should stay the same\n";
    double first_seconds = 0;
    std::uint64_t first_size = 0;
    int status = 0;
    for (std::uint64_t s : {std::max<std::uint64_t>(size / 4, 1), std::max<std::uint64_t>(size / 2, 1), size}) {
        const auto tasks = make_tasks(static_cast<std::uint64_t>(o.start), static_cast<std::size_t>(o.tasks), s);
        const auto reference = sieve_reference(tasks);
        const auto start = std::chrono::steady_clock::now();
        const auto results = run_serial(tasks);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (first_size == 0) {
            first_seconds = seconds;
            first_size = s;
        }
        const bool ok = results == reference;
        if (!ok) status = 1;
        const double numbers = static_cast<double>(s) * static_cast<double>(o.tasks);
        out << "  --size " << std::setw(11) << thousands(s) << ": " << fixed(seconds, 3) << " seconds, "
            << fixed(seconds / numbers * 1e9, 1) << " ns per number; size x" << fixed(static_cast<double>(s) / static_cast<double>(first_size), 2)
            << ", time x" << fixed(first_seconds > 0 ? seconds / first_seconds : 0, 2) << ", checksum " << hex(run_checksum(results))
            << (ok ? "" : " DIFFERS from the reference") << '\n' << std::flush;
        if (!ok) err << "--scaling: size " << s << ": the serial model differs from the reference\n";
    }
    return status;
}

// --false-sharing: per-thread counters packed, padded and local (exercise 5.1's subject).
int run_false_sharing(const Options& o, std::ostream& out) {
    const std::uint64_t increments = 20'000'000;
    const int threads = static_cast<int>(o.workers);
    out << "False sharing: " << threads << " threads, each adding 1 to its own counter " << thousands(increments)
        << " times (relaxed atomics); cache line " << std::hardware_destructive_interference_size << " bytes\n" << std::flush;
    const FalseSharingTimes t = time_false_sharing(threads, increments);
    out << "  packed counters (8 bytes each, sharing cache lines): " << fixed(t.packed, 3) << " seconds\n"
        << "  padded counters (a cache line each):                 " << fixed(t.padded, 3) << " seconds ("
        << fixed(t.padded > 0 ? t.packed / t.padded : 0, 1) << "x faster than packed)\n"
        << "  local counting, one write at the end:                " << fixed(t.local, 3) << " seconds\n";
    return 0;
}

}  // namespace

int run_program(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    Options o;
    const unsigned cores = std::thread::hardware_concurrency();
    o.workers = cores == 0 ? 1 : cores;
    CLI::App app(
        "Chapter 5 of the C++ concurrency tour: CPU-bound work, where C++ threads and Python threads part ways.\n"
        "Counts the primes in --tasks ranges of --size numbers by trial division (work no optimiser can fold), "
        "with each model of chapters 1-4 and a few more, and checks every model's checksum against a reference "
        "computed by a sieve. In C++, threads and processes both use every core; an event loop uses one. "
        "Compare with: python3 05_cpu_bound/cpu_bound.py (same work, same checksums, under the GIL).",
        program_name);
    app.footer("Exit status: 0 every model matched the reference; 1 a model failed or differed; 2 bad usage.");
    std::vector<std::string> keys = {"all"};
    for (const Model& m : all_models(o)) keys.push_back(m.key);
    app.add_option("--model", o.model,
                   "Which model: serial, threads, processes, event-loop, thread-pool, oversubscribed, par "
                   "(std::execution::par, only when built with libtbb-dev) or all (default)")
        ->check(CLI::IsMember(keys))->type_name("NAME");
    app.add_option("--tasks", o.tasks, "How many tasks, like the Python demo's 20 numbers (default 20)")
        ->check(CLI::Range(1LL, 1'000'000LL))->type_name("N");
    app.add_option("--size", o.size, "Numbers per task: the work of one task (default 50,000)")
        ->check(CLI::Range(1LL, 1'000'000'000LL))->type_name("N");
    app.add_option("--start", o.start, "The first number of the first task (default 1,000,000,000)")
        ->check(CLI::Range(0LL, static_cast<long long>(max_number)))->type_name("N");
    app.add_option("--workers", o.workers,
                   "Threads or processes for the threads, processes and thread-pool models (default: the number of cores, " +
                       std::to_string(o.workers) + " here)")
        ->check(CLI::Range(1LL, 1024LL))->type_name("N");
    app.add_option("--oversubscribe", o.oversubscribe, "Threads for the oversubscribed model (default 64)")
        ->check(CLI::Range(1LL, 4096LL))->type_name("N");
    app.add_flag("--scaling", o.scaling,
                 "Instead of the models: time the serial model at 1/4, 1/2 and all of --size, to show the time grows "
                 "linearly with the work (nothing was optimised away)");
    app.add_flag("--false-sharing", o.false_sharing,
                 "Instead of the models: time --workers threads bumping per-thread counters that share a cache line, "
                 "then padded to a line each, then kept local (exercise 5.1)");
    app.add_option("--json", o.json_file, "Also write every model's results as JSON to FILE")->type_name("FILE");
    app.set_version_flag("--version", std::string(program_name) + " (the C++ concurrency tour) " + std::string(tour::tour_version));
    try {
        app.parse(argc, argv);
        if (static_cast<unsigned long long>(o.start) + static_cast<unsigned long long>(o.tasks) * static_cast<unsigned long long>(o.size) >
            max_number) {
            throw CLI::ValidationError("--start/--tasks/--size", "the last number (start + tasks * size) must not exceed 10^13");
        }
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e, out, err);
        if (code == 0) return 0;
        err << "Run '" << program_name << " --help' for the options.\n";
        return 2;
    }
    if (o.model == "par" && !par_available()) {
        err << "--model par: std::execution::par is not in this build; install libtbb-dev and re-run cmake.\n";
        return 2;
    }
    if (o.scaling) return run_scaling(o, out, err);
    if (o.false_sharing) return run_false_sharing(o, out);

    // Set-up, not timed: the tasks and the reference results.
    const auto tasks = make_tasks(static_cast<std::uint64_t>(o.start), static_cast<std::size_t>(o.tasks), static_cast<std::uint64_t>(o.size));
    const auto reference = sieve_reference(tasks);
    const std::uint64_t reference_checksum = run_checksum(reference);
    out << "CPU-bound work: " << thousands(tasks.size()) << " tasks of " << thousands(static_cast<std::uint64_t>(o.size))
        << " numbers from " << thousands(static_cast<std::uint64_t>(o.start)) << ", primes counted by trial division; "
        << (cores == 0 ? 1 : cores) << " cores\n"
        << "Reference (a sieve): " << thousands(total_primes(reference)) << " primes, checksum " << hex(reference_checksum) << "\n\n"
        << std::flush;

    std::vector<Outcome> outcomes;
    std::optional<double> serial_seconds;
    int status = 0;
    for (const Model& model : all_models(o)) {
        if (o.model != "all" && o.model != model.key) continue;
        if (model.key == "par" && !par_available()) {
            out << "(Parallel algorithm, std::execution::par: not in this build; install libtbb-dev and re-run cmake)\n";
            continue;
        }
        Outcome outcome = run_one(model, tasks, reference, out, err);
        if (model.key == "serial" && outcome.ran) serial_seconds = outcome.seconds;
        print_details(out, outcome, serial_seconds, reference_checksum);
        if (!outcome.ran || !outcome.matches) status = 1;
        outcomes.push_back(std::move(outcome));
    }
    out << (status == 0 ? "Every model matched the reference.\n" : "Some model failed or differed from the reference (see stderr).\n");

    if (o.json_file) {
        nlohmann::json models = nlohmann::json::array();
        for (const Outcome& outcome : outcomes) models.push_back(outcome_json(outcome, tasks));
        nlohmann::json ref_tasks = nlohmann::json::array();
        for (const TaskResult& r : reference) ref_tasks.push_back({{"primes", r.primes}, {"checksum", hex(r.checksum)}});
        const nlohmann::json doc = {
            {"program", program_name}, {"tasks", o.tasks}, {"size", o.size}, {"start", o.start}, {"workers", o.workers},
            {"cores", cores}, {"reference", {{"checksum", hex(reference_checksum)}, {"primes", total_primes(reference)}, {"tasks", ref_tasks}}},
            {"models", models}, {"ok", status == 0}};
        std::ofstream file(*o.json_file);
        file << doc.dump(2) << '\n';
        if (!file) {
            err << "cannot write " << *o.json_file << '\n';
            return 2;
        }
    }
    return status;
}

}  // namespace cpu
