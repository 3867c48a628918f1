// Exercise 5.1: false sharing. Read false_sharing.hpp for the contract, then do the TODOs.
// Check your work: ./tour.sh check ch05 false_sharing
// Stuck? 05_cpu_bound/exercises/HINTS.md has the steps, one at a time.
//
// The program below is correct: each thread writes only its own counter, no data race. But
// the counters are 16 bytes each, so four of them share one 64-byte cache line. A core must
// own a whole line to write any byte of it, so two threads bumping "their own" counters
// pass that line back and forth between their cores on every increment: false sharing.
#include "false_sharing.hpp"

#include <new>
#include <thread>

namespace exercise {
namespace {

// TODO: give every Counter a cache line of its own, whatever the machine's line size: no two
//       threads' counters may share one. (Without changing what a Counter holds.)
struct Counter {
    std::uint64_t primes = 0;
    std::uint64_t divisions = 0;
};

}  // namespace

CountResult count_with_counters(cpu::Task range, int threads) {
    const auto n = static_cast<std::size_t>(threads);
    std::vector<Counter> counters(n);
    {
        std::vector<std::jthread> pool;
        for (std::size_t t = 0; t < n; ++t) {
            pool.emplace_back([&counters, range, t, n] {
                const cpu::Task mine = cpu::slice(range, t, n);
                // TODO (optional, the better fix): count in local variables and write the
                //       counter once at the end; then the layout matters much less.
                for (std::uint64_t x = mine.first; x < mine.last; ++x) {
                    if (is_prime_counting(x, counters[t].divisions)) ++counters[t].primes;
                }
            });
        }
    }
    CountResult result;
    result.counter_alignment = alignof(Counter);
    for (const Counter& c : counters) {
        result.primes += c.primes;
        result.divisions += c.divisions;
        result.counter_addresses.push_back(reinterpret_cast<std::uintptr_t>(&c));
    }
    return result;
}

}  // namespace exercise
