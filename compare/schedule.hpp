// The best a model could do, given the simulator's known latencies: lower bounds that the
// compare program prints next to each measured time.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <queue>
#include <vector>

namespace compare {

// Greedy list scheduling: URLs are taken in order, each by the worker that becomes free
// first, exactly as a pool taking indices from a shared counter does. With 1 worker it is
// the sum of the latencies (serial); with as many workers as URLs, the longest latency.
// workers == 0 means one worker per URL.
inline std::chrono::milliseconds ideal_makespan(const std::vector<std::chrono::milliseconds>& latencies,
                                                std::size_t workers) {
    if (latencies.empty()) return std::chrono::milliseconds{0};
    if (workers == 0 || workers > latencies.size()) workers = latencies.size();
    // Min-heap of the times at which each worker becomes free.
    std::priority_queue<std::chrono::milliseconds, std::vector<std::chrono::milliseconds>, std::greater<>> free_at;
    for (std::size_t w = 0; w < workers; ++w) free_at.push(std::chrono::milliseconds{0});
    std::chrono::milliseconds makespan{0};
    for (const auto latency : latencies) {
        const auto start = free_at.top();
        free_at.pop();
        const auto end = start + latency;
        makespan = std::max(makespan, end);
        free_at.push(end);
    }
    return makespan;
}

}  // namespace compare
