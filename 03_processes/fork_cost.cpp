// fork_cost: what a worker process costs, measured.
//
//   ./build/03_processes/fork_cost                    # 80 children, a 64 MiB parent heap
//   ./build/03_processes/fork_cost 80 --touch-mib 16  # each child writes 16 MiB of that heap
//   ./build/03_processes/fork_cost 80 --parent-mib 512
//
// 1. Time: fork() + _exit() in the child + waitpid() in the parent, one child after another.
//    fork copies no memory, but it copies the page tables and marks every page read-only, so
//    its cost grows with the parent's resident memory.
// 2. Memory: N children alive at once, each having written --touch-mib MiB of the heap it
//    inherited. Read from /proc/<pid>/smaps_rollup: Rss counts every page the child can see,
//    shared or not; Pss divides each shared page among its sharers; Private_Dirty is memory
//    the child alone owns: the pages copied on write.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "common/cpu_share.hpp"
#include "common/posix.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t mib = 1024 * 1024;

[[noreturn]] void die(const char* what) {
    std::perror(what);
    std::exit(1);
}

// Fields of /proc/<pid>/smaps_rollup, in KiB.
std::map<std::string, long> smaps_rollup(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::map<std::string, long> fields;
    std::string key;
    long value = 0;
    std::string unit;
    std::string line;
    std::getline(in, line);  // the header line: an address range
    while (in >> key >> value >> unit) fields[key.substr(0, key.size() - 1)] = value;
    return fields;
}

void touch(char* buffer, std::size_t bytes, char value) {
    for (std::size_t i = 0; i < bytes; i += 4096) buffer[i] = value;  // one write per page
}

// 1. fork + _exit + waitpid, one child after another.
void measure_fork_time(int children) {
    std::vector<double> micros;
    for (int i = 0; i < children; ++i) {
        const auto start = Clock::now();
        const pid_t pid = fork();
        if (pid < 0) die("fork");
        if (pid == 0) _exit(0);
        tour::reap(pid);
        micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    std::sort(micros.begin(), micros.end());
    double total = 0;
    for (double m : micros) total += m;
    std::printf("fork + _exit + waitpid, %d children one after another: median %.0f us, mean %.0f us\n", children,
                micros[micros.size() / 2], total / static_cast<double>(micros.size()));
}

// 2. N children alive at once, each having written touch_mib MiB of the heap it inherited.
void measure_children_memory(std::vector<char>& heap, int children, std::size_t touch_mib) {
    int ready[2];
    int release[2];
    if (pipe(ready) != 0 || pipe(release) != 0) die("pipe");
    std::vector<pid_t> pids;
    for (int i = 0; i < children; ++i) {
        const pid_t pid = fork();
        if (pid < 0) die("fork");
        if (pid == 0) {
            close(ready[0]);
            close(release[1]);
            touch(heap.data(), touch_mib * mib, 2);  // copy-on-write: each page written is copied
            char byte = 1;
            if (write(ready[1], &byte, 1) != 1) _exit(1);
            while (read(release[0], &byte, 1) < 0 && errno == EINTR) {
            }  // blocks until the parent closes `release`
            _exit(0);
        }
        pids.push_back(pid);
    }
    close(ready[1]);
    close(release[0]);
    for (int i = 0; i < children; ++i) {
        char byte = 0;
        ssize_t n = 0;
        while ((n = read(ready[0], &byte, 1)) < 0 && errno == EINTR) {
        }
        if (n != 1) die("a child did not get ready");
    }
    std::map<std::string, double> sum;
    for (pid_t pid : pids) {
        for (const auto& [key, kib] : smaps_rollup(pid)) sum[key] += static_cast<double>(kib);
    }
    close(release[1]);  // every child's read returns 0: they exit
    for (pid_t pid : pids) tour::reap(pid);
    close(ready[0]);

    auto per_child = [&](const char* key) { return sum[key] / children / 1024.0; };
    std::printf("%d children alive, each wrote %zu MiB of the inherited heap; per child:\n", children, touch_mib);
    std::printf("  Rss %.1f MiB, Pss %.2f MiB, Private_Dirty %.2f MiB, Shared %.1f MiB\n", per_child("Rss"),
                per_child("Pss"), per_child("Private_Dirty"), per_child("Shared_Clean") + per_child("Shared_Dirty"));
}

}  // namespace

int main(int argc, char** argv) {
    int children = 80;
    std::size_t touch_mib = 0;
    std::size_t parent_mib = 64;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--touch-mib" && i + 1 < argc) {
            touch_mib = std::strtoul(argv[++i], nullptr, 10);
        } else if (arg == "--parent-mib" && i + 1 < argc) {
            parent_mib = std::strtoul(argv[++i], nullptr, 10);
        } else if (!arg.empty() && arg[0] != '-') {
            children = std::atoi(arg.c_str());
        } else {
            std::fprintf(stderr, "usage: fork_cost [CHILDREN] [--parent-mib P] [--touch-mib M]\n");
            return 2;
        }
    }
    if (children < 1 || children > 2000 || touch_mib > parent_mib) {
        std::fprintf(stderr, "fork_cost: need 1..2000 children and --touch-mib <= --parent-mib\n");
        return 2;
    }

    // A parent with a real heap: every page written once, so it is resident.
    std::vector<char> heap(parent_mib * mib);
    touch(heap.data(), heap.size(), 1);
    const auto parent = smaps_rollup(getpid());
    std::printf("parent: %zu MiB heap written; Rss %.1f MiB\n", parent_mib, parent.at("Rss") / 1024.0);

    const tour::CpuShareMeter meter;  // did we get the CPU? (common/cpu_share.hpp)
    measure_fork_time(children);
    measure_children_memory(heap, children, touch_mib);
    tour::print_cpu_notice(std::cout, meter.stop());
    return 0;
}
