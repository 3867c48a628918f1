#include "common/cpu_share.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace tour {
namespace {

double seconds_of(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

// CPU time of `pid`'s live children and everything below them: each one's own time plus that of
// its children it has reaped (/proc/PID/stat fields 14-17). compare's models run below its
// launcher, and its simulator is a child it reaps only at the end.
double live_descendants_cpu_seconds(pid_t pid, int depth = 0) {
    if (depth > 16) return 0;
    const long ticks = ::sysconf(_SC_CLK_TCK);
    double total = 0;
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::ifstream children(task.path() / "children");
        for (pid_t child = 0; children >> child;) {
            std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
            std::string line;
            std::getline(stat, line);
            const auto after_name = line.rfind(')');  // the command name may hold spaces
            if (after_name == std::string::npos) continue;
            std::istringstream fields(line.substr(after_name + 2));
            std::string skip;
            for (int field = 3; field < 14; ++field) fields >> skip;
            std::uint64_t utime = 0, stime = 0, cutime = 0, cstime = 0;
            if (fields >> utime >> stime >> cutime >> cstime) {
                total += static_cast<double>(utime + stime + cutime + cstime) / static_cast<double>(ticks > 0 ? ticks : 100);
            }
            total += live_descendants_cpu_seconds(child, depth + 1);
        }
    }
    return total;
}

// This process, the children it has reaped, and those still running.
double own_cpu_seconds() {
    double total = live_descendants_cpu_seconds(::getpid());
    for (const int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
        rusage usage{};
        if (::getrusage(who, &usage) == 0) total += seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
    }
    return total;
}

// Seconds every CPU of the machine was busy since boot: /proc/stat's "cpu" line.
std::optional<double> machine_busy_seconds() {
    std::ifstream in("/proc/stat");
    std::string label;
    std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    if (!(in >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal) || label != "cpu") {
        return std::nullopt;
    }
    const long ticks = ::sysconf(_SC_CLK_TCK);
    return static_cast<double>(user + nice + system + irq + softirq + steal) / static_cast<double>(ticks > 0 ? ticks : 100);
}

unsigned online_cores() {
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<unsigned>(n) : 1u;
}

}  // namespace

double CpuShare::others_share() const {
    if (!machine_known || wall_seconds <= 0) return 0;
    return std::clamp(others_cpu_seconds / (wall_seconds * cores), 0.0, 1.0);
}

std::string CpuShare::notice(double threshold) const {
    const double share = others_share();
    if (share < threshold) return "";
    std::ostringstream text;
    text << "Other programs used " << std::lround(share * 100) << " % of the CPU during this run (" << std::fixed;
    text.precision(2);
    text << others_cpu_seconds << " s of " << wall_seconds * cores << " s on " << cores
         << (cores == 1 ? " core" : " cores") << "; this program used " << own_cpu_seconds
         << " s): speed-ups are understated; rerun on a quiet machine.";
    return text.str();
}

nlohmann::json CpuShare::to_json() const {
    return {{"wall_s", wall_seconds},   {"own_cpu_s", own_cpu_seconds}, {"others_cpu_s", others_cpu_seconds},
            {"cores", cores},           {"others_share", others_share()}, {"notice", notice()}};
}

void print_cpu_notice(std::ostream& out, const CpuShare& share) {
    if (const auto text = share.notice(); !text.empty()) out << text << '\n';
}

CpuShareMeter::CpuShareMeter()
    : start_(std::chrono::steady_clock::now()), own_start_(own_cpu_seconds()), machine_busy_start_(machine_busy_seconds()) {}

CpuShare CpuShareMeter::stop() const {
    CpuShare share;
    share.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    share.own_cpu_seconds = own_cpu_seconds() - own_start_;
    share.cores = online_cores();
    const auto busy_now = machine_busy_seconds();
    share.machine_known = machine_busy_start_ && busy_now;
    if (share.machine_known) share.others_cpu_seconds = std::max(0.0, *busy_now - *machine_busy_start_ - share.own_cpu_seconds);
    return share;
}

}  // namespace tour
