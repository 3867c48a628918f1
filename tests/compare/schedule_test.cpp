// The yardstick of the comparison: greedy list scheduling (compare/schedule.hpp).
#include <doctest/doctest.h>

#include <numeric>

#include "schedule.hpp"
#include "simulator/site_model.hpp"

using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;
using compare::ideal_makespan;

TEST_CASE("one worker: the sum, a worker per request (or 0): the longest") {
    const std::vector<ms> latencies = {5ms, 3ms, 4ms, 2ms, 1ms};
    CHECK(ideal_makespan(latencies, 1) == 15ms);
    CHECK(ideal_makespan(latencies, 5) == 5ms);
    CHECK(ideal_makespan(latencies, 50) == 5ms);
    CHECK(ideal_makespan(latencies, 0) == 5ms);
    CHECK(ideal_makespan({}, 3) == 0ms);
}

TEST_CASE("in list order, each request to the worker free first") {
    // 2 workers: A 0-5, B 0-3; the 4 goes to B at 3 (3-7); the 2 to A at 5 (5-7); the 1 at 7 (7-8).
    CHECK(ideal_makespan({5ms, 3ms, 4ms, 2ms, 1ms}, 2) == 8ms);
    // Greedy, not optimal: {1, 1} on one worker and {2} on the other would take 2.
    CHECK(ideal_makespan({1ms, 1ms, 2ms}, 2) == 3ms);
}

TEST_CASE("the default world (80 sites, 150 ms, seed 1) with 10 workers: between the bounds") {
    std::vector<ms> latencies;
    for (std::size_t i = 0; i < 80; ++i) latencies.push_back(sitesim::page_spec({1, 150}, sitesim::site_path(i)).latency);
    const ms total = std::accumulate(latencies.begin(), latencies.end(), 0ms);
    const ms longest = *std::max_element(latencies.begin(), latencies.end());
    const ms ideal = ideal_makespan(latencies, 10);
    CHECK(ideal >= total / 10);            // 10 workers cannot beat a perfect split
    CHECK(ideal <= total / 10 + longest);  // and greedy is never worse than that (Graham's bound)
    CHECK(ideal_makespan(latencies, 0) == longest);
}
