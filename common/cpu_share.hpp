// Did this run get the CPU it asked for? A benchmark on a busy machine shows every speed-up near
// 1.0x and says nothing about why; the measuring programs (05_cpu_bound and its demos,
// counter_bench, thread_cost, fork_cost, message_cost, compare) wrap their runs in a
// CpuShareMeter and print its notice, so a reader knows when the figures are not the lesson's.
//
// Two figures, both from the kernel: the CPU time this process and every process below it used
// (getrusage, and /proc/PID/stat for children still running), and the busy time of the whole machine (/proc/stat's first line: every CPU's user,
// nice, system, irq, softirq and steal ticks). Busy time that was not ours is other programs'.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include <chrono>

#include <nlohmann/json_fwd.hpp>

namespace tour {

struct CpuShare {
    double wall_seconds = 0;
    double own_cpu_seconds = 0;     // this process and every process below it
    double others_cpu_seconds = 0;  // the machine's busy time that was not ours
    unsigned cores = 1;
    bool machine_known = false;     // /proc/stat could be read

    // Other programs' share of the machine's CPU capacity during the run, 0..1.
    double others_share() const;
    // The plain sentence when others took at least `threshold` of the machine, else "".
    std::string notice(double threshold = 0.10) const;
    // {"wall_s", "own_cpu_s", "others_cpu_s", "cores", "others_share", "notice"}.
    nlohmann::json to_json() const;
};

// Print `share`'s notice as a line of its own on `out`, when there is one.
void print_cpu_notice(std::ostream& out, const CpuShare& share);

class CpuShareMeter {
public:
    CpuShareMeter();  // starts measuring
    CpuShare stop() const;

private:
    std::chrono::steady_clock::time_point start_;
    double own_start_;
    std::optional<double> machine_busy_start_;
};

}  // namespace tour
