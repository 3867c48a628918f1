// Exercise 5.1: false sharing. Read false_sharing.hpp for the contract, then do the TODOs.
// Check your work: ./tour.sh check ch05 false_sharing   One hint at a time: ./tour.sh hint ch05 false_sharing
//
// The program below is correct: each thread writes only its own counters, no data race. But
// it keeps them as a numpy user would, one array per figure, so thread 0's counter sits right
// beside thread 1's: eight of them share one 64-byte cache line. A core must own a whole line to
// write any byte of it, so threads bumping "their own" counters pass that line back and forth
// between their cores on every increment: false sharing. (`05_cpu_bound --false-sharing`
// measures what it costs.)
#include "false_sharing.hpp"

#include <new>
#include <thread>

namespace exercise {

CountResult count_with_counters(cpu::Task range, int threads, IsPrime is_prime) {
    const auto n = static_cast<std::size_t>(threads);
    // TODO: no two threads' counters may share a cache line, whatever the machine's line size.
    std::vector<std::uint64_t> primes(n);     // primes[t]: thread t's
    std::vector<std::uint64_t> divisions(n);  // divisions[t]: thread t's
    {
        std::vector<std::jthread> pool;
        for (std::size_t t = 0; t < n; ++t) {
            pool.emplace_back([&primes, &divisions, range, t, n, is_prime] {
                const cpu::Task mine = cpu::slice(range, t, n);
                // TODO: the loop below writes shared memory on every division. Make it touch none:
                //       count where no other thread writes, and report to the shared counters once.
                for (std::uint64_t x = mine.first; x < mine.last; ++x) {
                    if (is_prime(x, divisions[t])) ++primes[t];
                }
            });
        }
    }
    CountResult result;
    for (std::size_t t = 0; t < n; ++t) {
        result.primes += primes[t];
        result.divisions += divisions[t];
        result.primes_at.push_back(reinterpret_cast<std::uintptr_t>(&primes[t]));
        result.divisions_at.push_back(reinterpret_cast<std::uintptr_t>(&divisions[t]));
    }
    return result;
}

}  // namespace exercise
