// Exercise 5.1: false sharing. (Do not edit this header; answer in false_sharing.cpp.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "workload.hpp"

namespace exercise {

struct CountResult {
    std::uint64_t primes = 0;     // primes in the range, all threads together
    std::uint64_t divisions = 0;  // trial divisions done, all threads together
    // Where thread t's two counters were while the threads ran, in thread order: the shared
    // memory each thread reports its figures in.
    std::vector<std::uintptr_t> primes_at;
    std::vector<std::uintptr_t> divisions_at;
};

// Trial division that also counts its divisions (every `%` it evaluates) into `divisions`.
inline bool is_prime_counting(std::uint64_t n, std::uint64_t& divisions) {
    if (n < 2) return false;
    ++divisions;
    if (n % 2 == 0) return n == 2;
    for (std::uint64_t d = 3; d * d <= n; d += 2) {
        ++divisions;
        if (n % d == 0) return false;
    }
    return true;
}
using IsPrime = bool (*)(std::uint64_t n, std::uint64_t& divisions);

// Count the primes in `range` with `threads` threads, thread t taking cpu::slice(range, t,
// threads) and testing each number with `is_prime`. Each thread reports its figures (primes,
// divisions) in counters of its own, which live side by side in memory shared by every thread.
CountResult count_with_counters(cpu::Task range, int threads, IsPrime is_prime = is_prime_counting);

}  // namespace exercise
