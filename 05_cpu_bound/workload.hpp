// Chapter 5: the CPU-bound workload every model runs. Nothing here is concurrent.
//
// Real Python's CPU-bound example (the demo itself only downloads) is `sum(i * i for i in range(n))` for 20 numbers around
// 5,000,000. A C++ optimiser turns that loop into a closed formula (n(n-1)(2n-1)/6) and the
// "work" vanishes, so we need work it cannot fold: count the primes in a range of numbers by
// trial division. Each task is a range; its result is the prime count and a checksum of the
// primes found. 05_cpu_bound/cpu_bound.py computes exactly the same numbers in Python.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/hash.hpp"

namespace cpu {

// One task: the numbers first, first + 1, ..., last - 1.
struct Task {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::uint64_t size() const { return last - first; }
};

// What a task produces. Both fields add up over sub-ranges, so a task can be split into
// pieces and the pieces' results summed (the oversubscribed model and an exercise do that).
struct TaskResult {
    std::uint64_t primes = 0;    // how many primes
    std::uint64_t checksum = 0;  // sum of mix(p) over those primes, modulo 2^64

    TaskResult& operator+=(const TaskResult& other) {
        primes += other.primes;
        checksum += other.checksum;  // unsigned: wraps modulo 2^64, like Python's `& MASK`
        return *this;
    }
    friend bool operator==(const TaskResult&, const TaskResult&) = default;
};

// The largest number a task may reach: keeps d * d in is_prime far from overflow and a
// single number's trial division under a few milliseconds.
inline constexpr std::uint64_t max_number = 10'000'000'000'000;  // 10^13

// `count` consecutive tasks of `size` numbers each, starting at `start`
// (like Real Python's list of 20 numbers).
std::vector<Task> make_tasks(std::uint64_t start, std::size_t count, std::uint64_t size);

// The same range cut into `pieces` near-equal parts; this returns part `index` (may be empty).
Task slice(const Task& task, std::size_t index, std::size_t pieces);

// A 64-bit mixing function (splitmix64's finaliser, common/hash.hpp): every prime changes the
// checksum unpredictably, so a lost, duplicated or wrong prime shows.
using tour::mix;

// Trial division: is `n` prime? About sqrt(n)/2 divisions for a prime near n.
bool is_prime(std::uint64_t n);

// The work of one task: count (and checksum) the primes in [first, last) by trial division.
TaskResult count_primes(const Task& task);

// The same results by a different algorithm (a segmented sieve of Eratosthenes): the
// reference every model's results are checked against, computed in milliseconds.
// The tasks must not overlap (make_tasks' never do).
std::vector<TaskResult> sieve_reference(std::span<const Task> tasks);

// One checksum for a whole run: folds the tasks' checksums in task order (FNV-1a over
// 64-bit words), so results put in the wrong slot change it too.
std::uint64_t run_checksum(std::span<const TaskResult> results);

// Total number of primes over all tasks.
std::uint64_t total_primes(std::span<const TaskResult> results);

}  // namespace cpu
