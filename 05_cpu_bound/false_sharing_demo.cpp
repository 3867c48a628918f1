// Chapter 5: false sharing, measured. Each thread only ever touches its own counter, so there
// is no data race and no lock, and yet the packed layout is several times slower: the
// counters share a cache line, and a core must own the whole line to write to any of it.
#include "false_sharing_demo.hpp"

#include <atomic>
#include <chrono>
#include <new>
#include <ostream>
#include <thread>
#include <vector>

#include "common/report.hpp"
#include "common/text.hpp"
#include "cpu_report.hpp"

namespace cpu {
namespace {

// [docs:counters]
// Statistics counters, one per thread: relaxed atomics, so a monitoring thread could read
// them at any time. Packed: 8 bytes each, eight to a 64-byte cache line.
struct Packed {
    std::atomic<std::uint64_t> value{0};
};
// Padded: alignas rounds the size up too, so each counter has a cache line to itself.
struct alignas(std::hardware_destructive_interference_size) Padded {
    std::atomic<std::uint64_t> value{0};
};
// [/docs:counters]

template <class Counter>
double time_counters(int threads, std::uint64_t increments, bool local) {
    std::vector<Counter> counters(static_cast<std::size_t>(threads));
    const auto start = std::chrono::steady_clock::now();
    {
        std::vector<std::jthread> pool;
        for (auto& counter : counters) {
            pool.emplace_back([&counter, increments, local] {
                if (local) {
                    std::uint64_t mine = 0;
                    for (std::uint64_t i = 0; i < increments; ++i) ++mine;  // a register (the optimiser may fold it)
                    counter.value.store(mine, std::memory_order_relaxed);
                } else {
                    for (std::uint64_t i = 0; i < increments; ++i) counter.value.fetch_add(1, std::memory_order_relaxed);
                }
            });
        }
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

FalseSharingTimes time_false_sharing(int threads, std::uint64_t increments) {
    return {time_counters<Packed>(threads, increments, false), time_counters<Padded>(threads, increments, false),
            time_counters<Padded>(threads, increments, true)};
}

int run_false_sharing_demo(std::ostream& out, int threads) {
    const std::uint64_t increments = 20'000'000;
    out << "False sharing: " << threads << " threads, each adding 1 to its own counter " << tour::with_thousands(increments)
        << " times (relaxed atomics); cache line " << std::hardware_destructive_interference_size << " bytes\n"
        << std::flush;
    const FalseSharingTimes t = time_false_sharing(threads, increments);
    out << "  packed counters (8 bytes each, sharing cache lines): " << fixed(t.packed, 3) << " seconds\n"
        << "  padded counters (a cache line each):                 " << fixed(t.padded, 3) << " seconds ("
        << fixed(t.padded > 0 ? t.packed / t.padded : 0, 1) << "x faster than packed)\n"
        << "  local counting, one write at the end:                " << fixed(t.local, 3) << " seconds\n";
    return 0;
}

}  // namespace cpu
