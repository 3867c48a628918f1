// Chapter 5: the workload. See workload.hpp for what each function promises.
#include "workload.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cpu {

std::vector<Task> make_tasks(std::uint64_t start, std::size_t count, std::uint64_t size) {
    if (size == 0 || count == 0) throw std::invalid_argument("make_tasks: need at least one task of at least one number");
    if (start > max_number || (max_number - start) / count < size) {
        throw std::invalid_argument("make_tasks: the numbers would go past 10^13");
    }
    std::vector<Task> tasks;
    tasks.reserve(count);
    for (std::size_t i = 0; i < count; ++i) tasks.push_back({start + i * size, start + (i + 1) * size});
    return tasks;
}

Task slice(const Task& task, std::size_t index, std::size_t pieces) {
    const std::uint64_t n = task.size();
    return {task.first + n * index / pieces, task.first + n * (index + 1) / pieces};
}

// [docs:work]
bool is_prime(std::uint64_t n) {
    if (n < 2) return false;
    if (n % 2 == 0) return n == 2;
    // The divisor d is only known at run time, so every `n % d` is a real division
    // instruction: there is no formula for the compiler to substitute.
    for (std::uint64_t d = 3; d * d <= n; d += 2) {
        if (n % d == 0) return false;
    }
    return true;
}

TaskResult count_primes(const Task& task) {
    TaskResult result;
    for (std::uint64_t n = task.first; n < task.last; ++n) {
        if (is_prime(n)) {
            ++result.primes;
            result.checksum += mix(n);
        }
    }
    return result;
}
// [/docs:work]

std::vector<TaskResult> sieve_reference(std::span<const Task> tasks) {
    std::vector<TaskResult> results(tasks.size());
    if (tasks.empty()) return results;
    std::uint64_t lo = tasks.front().first, hi = tasks.front().last;
    for (const Task& t : tasks) {
        lo = std::min(lo, t.first);
        hi = std::max(hi, t.last);
    }
    // Base primes up to sqrt(hi) by a plain sieve.
    std::uint64_t root = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(hi)));
    while (root * root > hi) --root;
    while ((root + 1) * (root + 1) <= hi) ++root;
    std::vector<bool> composite_small(root + 1, false);
    std::vector<std::uint64_t> base;
    for (std::uint64_t i = 2; i <= root; ++i) {
        if (composite_small[i]) continue;
        base.push_back(i);
        for (std::uint64_t j = i * i; j <= root; j += i) composite_small[j] = true;
    }
    // Sieve [lo, hi) in segments; primes arrive in increasing order, so a cursor over the
    // tasks sorted by their first number finds the task that owns each one.
    std::vector<std::size_t> order(tasks.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return tasks[a].first < tasks[b].first; });
    std::size_t cursor = 0;
    constexpr std::uint64_t segment = 1 << 20;
    std::vector<bool> composite;
    for (std::uint64_t seg_lo = lo; seg_lo < hi; seg_lo += std::min(segment, hi - seg_lo)) {
        const std::uint64_t seg_hi = seg_lo + std::min(segment, hi - seg_lo);
        composite.assign(seg_hi - seg_lo, false);
        for (std::uint64_t p : base) {
            std::uint64_t m = std::max(p * p, (seg_lo + p - 1) / p * p);
            for (; m < seg_hi; m += p) composite[m - seg_lo] = true;
        }
        for (std::uint64_t n = std::max<std::uint64_t>(seg_lo, 2); n < seg_hi; ++n) {
            if (composite[n - seg_lo]) continue;
            while (cursor < order.size() && tasks[order[cursor]].last <= n) ++cursor;
            if (cursor < order.size() && tasks[order[cursor]].first <= n) results[order[cursor]] += TaskResult{1, mix(n)};
        }
    }
    return results;
}

std::uint64_t run_checksum(std::span<const TaskResult> results) {
    std::uint64_t h = tour::fnv1a_offset_basis;  // FNV-1a over 64-bit words, not bytes
    for (const TaskResult& r : results) h = (h ^ r.checksum) * tour::fnv1a_prime;
    return h;
}

std::uint64_t total_primes(std::span<const TaskResult> results) {
    std::uint64_t n = 0;
    for (const TaskResult& r : results) n += r.primes;
    return n;
}

}  // namespace cpu
