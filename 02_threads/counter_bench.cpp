// counter_bench: what the pool's work counter costs, by memory order and by sharing.
//
//   ./build/02_threads/counter_bench                 # 2 threads, 5,000,000 operations each per phase
//   ./build/02_threads/counter_bench 4 1000000       # THREADS OPS
//
// threads.cpp's workers take URL indices with next.fetch_add(1, std::memory_order_relaxed).
// Here THREADS threads do that OPS times each, in phases that differ in one thing:
//   fetch_add relaxed / seq_cst   on one shared counter (the pool's `next`)
//   fetch_add relaxed             on a counter of each thread's own (nothing shared)
//   store relaxed / seq_cst       to a flag of each thread's own (where seq_cst costs on x86)
// A std::barrier is the phase line: every thread starts a phase together, and the last one to
// finish it stamps the clock. Atomic operations are never merged or deleted by the optimiser,
// so each loop really does OPS operations.
#include <array>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <thread>
#include <vector>

#include "common/cpu_share.hpp"

namespace {

// Alone on its cache line (64 bytes on x86): another thread's counter is never next to it.
struct alignas(64) Own {
    std::atomic<std::size_t> value{0};
};

enum Phase { shared_relaxed, shared_seq_cst, own_relaxed, store_relaxed, store_seq_cst, phase_count };
constexpr std::array<const char*, phase_count> phase_names = {
    "fetch_add, relaxed, one shared counter", "fetch_add, seq_cst, one shared counter",
    "fetch_add, relaxed, a counter per thread", "store, relaxed, a flag per thread",
    "store, seq_cst, a flag per thread"};

// One thread's work in one phase: `ops` operations, with the order fixed at compile time.
void run_phase(Phase phase, std::size_t ops, std::atomic<std::size_t>& shared, Own& own) {
    switch (phase) {
        case shared_relaxed:
            for (std::size_t i = 0; i < ops; ++i) shared.fetch_add(1, std::memory_order_relaxed);
            break;
        case shared_seq_cst:
            for (std::size_t i = 0; i < ops; ++i) shared.fetch_add(1, std::memory_order_seq_cst);
            break;
        case own_relaxed:
            for (std::size_t i = 0; i < ops; ++i) own.value.fetch_add(1, std::memory_order_relaxed);
            break;
        case store_relaxed:
            for (std::size_t i = 0; i < ops; ++i) own.value.store(i, std::memory_order_relaxed);
            break;
        case store_seq_cst:
            for (std::size_t i = 0; i < ops; ++i) own.value.store(i, std::memory_order_seq_cst);
            break;
        case phase_count:
            break;
    }
}

bool parse(const char* text, long max, long& out) {
    char* end = nullptr;
    out = std::strtol(text, &end, 10);
    return end != text && *end == '\0' && out >= 1 && out <= max;
}

}  // namespace

int main(int argc, char** argv) {
    long threads_arg = 2;
    long ops_arg = 5'000'000;
    if (argc > 1 && std::string_view(argv[1]) == "--help") {
        std::printf("usage: counter_bench [THREADS [OPS]]   (default 2 threads, 5000000 operations each per phase)\n");
        return 0;
    }
    if (argc > 3 || (argc > 1 && !parse(argv[1], 256, threads_arg)) || (argc > 2 && !parse(argv[2], 1'000'000'000, ops_arg))) {
        std::fprintf(stderr, "usage: counter_bench [THREADS [OPS]]   (THREADS 1-256, OPS 1-1000000000)\n");
        return 2;
    }
    const auto thread_count = static_cast<std::size_t>(threads_arg);
    const auto ops = static_cast<std::size_t>(ops_arg);

    const tour::CpuShareMeter meter;  // did the threads get the cores? (common/cpu_share.hpp)
    std::atomic<std::size_t> shared{0};
    std::vector<Own> own(thread_count);

    // [docs:barrier]
    // Phase k runs between the barrier's k-th and (k+1)-th completion. The completion step runs
    // once per phase, on the last thread to arrive, while every other thread waits: it may
    // touch `stamps` and `next_stamp` without a lock, and what it writes is visible to every
    // thread the barrier then releases.
    std::array<std::chrono::steady_clock::time_point, phase_count + 1> stamps{};
    std::size_t next_stamp = 0;
    std::barrier phase_line(static_cast<std::ptrdiff_t>(thread_count), [&]() noexcept {
        stamps[next_stamp++] = std::chrono::steady_clock::now();
    });
    {
        std::vector<std::jthread> threads;
        for (std::size_t t = 0; t < thread_count; ++t) {
            threads.emplace_back([&, t] {
                for (int phase = 0; phase < phase_count; ++phase) {
                    phase_line.arrive_and_wait();  // everyone starts the phase together
                    run_phase(static_cast<Phase>(phase), ops, shared, own[t]);
                }
                phase_line.arrive_and_wait();  // the last phase's end
            });
        }
    }  // every thread joined: `stamps` and `shared` are final
    // [/docs:barrier]

    std::printf("counter_bench: %zu threads, %zu operations each per phase\n", thread_count, ops);
    for (int phase = 0; phase < phase_count; ++phase) {
        const double ns = std::chrono::duration<double, std::nano>(stamps[phase + 1] - stamps[phase]).count();
        std::printf("  %-42s %7.1f ms  %6.2f ns per operation\n", phase_names[phase], ns / 1e6,
                    ns / static_cast<double>(ops));
    }
    // Two shared phases, every increment counted: relaxed loses none either.
    const std::size_t expected = 2 * thread_count * ops;
    std::printf("  shared counter: %zu, expected %zu\n", shared.load(), expected);
    tour::print_cpu_notice(std::cout, meter.stop());
    return shared.load() == expected ? 0 : 1;
}
