// Running and measuring one model: compare runs each chapter's program on one site list and
// measures what the Python demo's text argues about: wall time, CPU time, memory, context
// switches.
//
// Each model runs as its own child process (its chapter's program with --urls and --json),
// for two reasons: wait4() then gives that model's own resource usage (CPU, peak RSS, context
// switches, including any worker processes it reaped), and no model inherits another's
// threads (chapter 3 forks, which needs a single-threaded process).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "common/posix.hpp"
#include "stop_signals.hpp"

namespace tour {
class SiteSimulator;
}

namespace compare {

struct ModelInfo {
    std::string key;       // "serial": what --only takes
    std::string label;     // "Serial": what the report prints
    std::string program;   // path relative to the build directory
    bool has_workers;      // does --workers apply?
};

// The four download models, in the order the Python demo ran them.
const std::vector<ModelInfo>& all_models();

struct Usage {
    double cpu_user_s = 0;
    double cpu_system_s = 0;
    long peak_rss_kib = 0;          // the largest resident set of the process (or a child of it)
    long voluntary_switches = 0;    // the process gave up the CPU (it waited: I/O, locks)
    long involuntary_switches = 0;  // the kernel took the CPU away (time slice over)
};

struct ModelRun {
    ModelInfo model;
    int exit_code = 0;
    Usage usage;
    nlohmann::json report;              // the program's --json output
    std::optional<long> server_peak_in_flight;  // from sitesim's /__stats, when simulated
    std::optional<double> ideal_seconds;        // lower bound for this concurrency, when latencies are known
    std::string failure;  // why the program gave no report (killed, ...): then every URL counts as failed
};

// Run `program` with `args`, its stdout and stderr going to ours, in a process group of its own;
// returns exit code and usage. `started`, when given, is told the child's pid as soon as it runs.
// Throws std::runtime_error when it cannot be started or was killed by a signal.
std::pair<int, Usage> run_child(const std::filesystem::path& program, const std::vector<std::string>& args,
                                const std::function<void(pid_t)>& started = {});

// Runs programs with run_child() from a small process forked when the Launcher is made.
//
// Why not call run_child() from compare itself: Linux charges a child's peak RSS (ru_maxrss)
// with the high-water mark of the address space it was exec'd from, and posix_spawn's child
// borrows its parent's. A model spawned from compare would be charged compare's own peak,
// which grows with every report compare holds (a sweep holds dozens). Spawned from a process
// that stays a few MiB, each model's peak RSS is its own. Make the Launcher early, before
// compare grows, while it has one thread (it forks).
//
// Stop signals: given a StopSignals, run() also waits for the stop signals. The programs run in
// a process group of their own, so a signal to compare's group (Ctrl-C at a terminal, `timeout`)
// reaches compare but not the program: compare passes exactly one on. The first stop signal is
// relayed to the running program as its graceful stop (SIGTERM as SIGTERM, the others as
// SIGINT): it cancels what it has in flight, writes its report and exits, and run() returns as
// usual. A program that has not ended 10 s later is killed. A second stop signal kills it at
// once and run() throws Interrupted. The launcher ignores stop signals itself (one sent to the
// whole process group reaches it too) and dies with compare (tour::die_with_parent), should
// compare die without running ~Launcher.
class Launcher {
public:
    explicit Launcher(StopSignals* stop = nullptr);
    ~Launcher();  // closes the pipe: the launcher sees end-of-file, exits, and is reaped here
    Launcher(const Launcher&) = delete;
    Launcher& operator=(const Launcher&) = delete;

    // Same contract as run_child().
    std::pair<int, Usage> run(const std::filesystem::path& program, const std::vector<std::string>& args);

private:
    StopSignals* stop_;
    pid_t pid_ = -1;
    tour::Fd requests_;  // compare -> launcher: argument lists
    tour::Fd replies_;   // launcher -> compare: exit status and usage, or an error
};

// What every model is given, so that they all do the same work.
struct Workload {
    std::filesystem::path url_file;    // the URL list, one a line (--repeat already applied)
    std::filesystem::path output_dir;  // where each program writes its --json
    double timeout_s = 30;             // --timeout, passed on
    std::string cacert;                // --cacert, passed on when set
    std::optional<double> deadline_s;  // --deadline, passed on when set: each model gets the whole of it
    bool fail_fast = false;            // --fail-fast, passed on
    const tour::SiteSimulator* simulator = nullptr;    // serving the list; null with --urls
    std::vector<std::chrono::milliseconds> latencies;  // of each URL when simulated (for the ideal); else empty
    std::vector<std::string> urls;                     // the list itself, for the rows of a model that died
};

// Run `model`'s program on `work` through `launcher`, with `workers` when given and the model
// has workers (otherwise the program's own default), and collect what it reported and what it
// cost: its --json report, its usage, and with the simulator the server-side peak of requests
// in flight and the ideal time for the concurrency it ran with. A program that was killed or left
// no report gives a run with `failure` set and every URL failed with that reason, so the other
// models still run and the table still prints. Throws std::runtime_error when the program could
// not run at all (exit status 2: bad usage, compare's own fault; or it cannot be started).
ModelRun run_model(Launcher& launcher, const ModelInfo& model, std::optional<int> workers, const Workload& work);

}  // namespace compare
