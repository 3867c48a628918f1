// thread_cost: what one thread costs - time to create it, address space, resident memory.
//
//   ./build/02_threads/thread_cost 80
//   ./build/02_threads/thread_cost 1000
//   ./build/02_threads/thread_cost 1000 --malloc   # each thread also calls malloc once
//
// Starts N std::jthread that each block on a std::latch (so all N exist at the same time),
// reads /proc/self/status before and after, then releases and joins them. Run one N per
// process: glibc caches the stacks of finished threads, which would blur a second round.
// --malloc makes each thread allocate once, as every real worker does (libcurl allocates):
// glibc then gives threads their own malloc arenas, which reserve address space too.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <latch>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/cpu_share.hpp"

#include <pthread.h>
#include <sys/resource.h>

namespace {

struct ProcStatus {
    long vm_size_kib = -1;  // address space reserved (stacks count in full here)
    long vm_rss_kib = -1;   // memory actually resident (only the pages touched)
    long vm_hwm_kib = -1;   // peak resident memory so far
    long threads = -1;
};

ProcStatus read_status() {
    ProcStatus status;
    std::ifstream in("/proc/self/status");
    std::string key;
    while (in >> key) {
        long value = 0;
        if (key == "VmSize:" && in >> value) status.vm_size_kib = value;
        else if (key == "VmRSS:" && in >> value) status.vm_rss_kib = value;
        else if (key == "VmHWM:" && in >> value) status.vm_hwm_kib = value;
        else if (key == "Threads:" && in >> value) status.threads = value;
        std::string rest;
        std::getline(in, rest);
    }
    return status;
}

long default_stack_kib() {
    // What pthread_create uses when nobody sets a size: on glibc, RLIMIT_STACK (ulimit -s).
    pthread_attr_t attr;
    std::size_t size = 0;
    if (pthread_attr_init(&attr) == 0) {
        pthread_attr_getstacksize(&attr, &size);
        pthread_attr_destroy(&attr);
    }
    return static_cast<long>(size / 1024);
}

int usage() {
    std::cerr << "usage: thread_cost [N] [--malloc]   (N threads, default 80, at most 100000)\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    long count = 80;
    bool use_malloc = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--malloc") {
            use_malloc = true;
        } else if (arg == "--help") {
            usage();
            return 0;
        } else {
            char* end = nullptr;
            count = std::strtol(argv[i], &end, 10);
            if (end == argv[i] || *end != '\0' || count < 1 || count > 100'000) return usage();
        }
    }
    const auto n = static_cast<std::size_t>(count);

    // [docs:latches]
    // Two single-use countdowns. `started`: each thread counts it down once it runs, and main
    // waits for zero, so all N exist at once when /proc is read. `release`: the common line
    // every thread waits at, until main, the one thread that counts it down, lets them all go.
    std::latch started(count);
    std::latch release(1);
    // [/docs:latches]
    const ProcStatus before = read_status();
    const tour::CpuShareMeter meter;  // did we get the CPU? (common/cpu_share.hpp)

    std::vector<std::jthread> threads;
    threads.reserve(n);
    const auto t0 = std::chrono::steady_clock::now();
    try {
        for (std::size_t i = 0; i < n; ++i) {
            threads.emplace_back([&started, &release, use_malloc] {
                if (use_malloc) {
                    auto block = std::make_unique<char[]>(1024);  // like any real worker's first allocation
                    block[0] = 1;
                }
                // [docs:latch_thread]
                started.count_down();  // "I exist"
                release.wait();        // blocked (asleep, no CPU) until main is done measuring
                // [/docs:latch_thread]
            });
        }
    } catch (const std::exception& e) {
        std::cerr << "thread_cost: could not start thread " << threads.size() + 1 << " of " << n << ": " << e.what()
                  << '\n';
        release.count_down();  // let the started ones go, and join them
        for (auto& t : threads) t.join();
        return 1;
    }
    const auto t1 = std::chrono::steady_clock::now();
    // [docs:latch_main]
    started.wait();  // all N are running (blocked on `release`)
    const auto t2 = std::chrono::steady_clock::now();
    const ProcStatus after = read_status();
    release.count_down();  // zero: every waiting thread goes on
    // [/docs:latch_main]
    for (auto& t : threads) t.join();
    const auto t3 = std::chrono::steady_clock::now();

    const auto us = [](auto d) { return std::chrono::duration<double, std::micro>(d).count(); };
    const double per = 1.0 / static_cast<double>(count);
    std::printf("thread_cost: %ld threads, each blocked on a std::latch%s\n", count,
                use_malloc ? ", after one malloc" : "");
    std::printf("  default stack size      %ld KiB (pthread default = ulimit -s)\n", default_stack_kib());
    std::printf("  threads in the process  %ld before, %ld while blocked\n", before.threads, after.threads);
    std::printf("  create (constructors)   %.1f ms total, %.1f us per thread\n", us(t1 - t0) / 1000, us(t1 - t0) * per);
    std::printf("  until all were running  %.1f ms after the first constructor\n", us(t2 - t0) / 1000);
    std::printf("  release and join all    %.1f ms\n", us(t3 - t2) / 1000);
    std::printf("  VmSize (address space)  %ld -> %ld KiB: +%.0f KiB per thread\n", before.vm_size_kib,
                after.vm_size_kib, static_cast<double>(after.vm_size_kib - before.vm_size_kib) * per);
    std::printf("  VmRSS  (resident)       %ld -> %ld KiB: +%.1f KiB per thread\n", before.vm_rss_kib,
                after.vm_rss_kib, static_cast<double>(after.vm_rss_kib - before.vm_rss_kib) * per);
    std::printf("  VmHWM  (peak resident)  %ld KiB\n", read_status().vm_hwm_kib);
    tour::print_cpu_notice(std::cout, meter.stop());
    return 0;
}
