// Exercise 5.1: false sharing. (Do not edit this header; answer in false_sharing.cpp.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "workload.hpp"

namespace exercise {

struct CountResult {
    std::uint64_t primes = 0;                 // primes in the range, all threads together
    std::uint64_t divisions = 0;              // trial divisions done, all threads together
    std::size_t counter_alignment = 0;        // alignof the per-thread counter type
    std::vector<std::uintptr_t> counter_addresses;  // where each thread's counter was, in thread order
};

// Count the primes in `range` with `threads` threads, thread t taking cpu::slice(range, t,
// threads). Each thread keeps statistics (primes, divisions) in its own counter; the counters
// live side by side in one std::vector.
CountResult count_with_counters(cpu::Task range, int threads);

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

}  // namespace exercise
