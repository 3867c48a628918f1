// The check for exercise 4.4: record() counts how many calls of it are running at once (it
// stays inside for a millisecond, so calls that can overlap do); work() counts the same for
// itself. The answer is right when record never overlaps, work still does, and every item is
// recorded exactly once with its own result.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "exercise_check.hpp"
#include "strand.hpp"

namespace {

// Counts the calls inside a function at once, and the most there ever were.
struct Overlap {
    std::atomic<int> inside{0};
    std::atomic<int> most{0};
    void enter() {
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
    }
    void leave() { --inside; }
};

std::uint64_t expected_result(std::size_t i) { return i * 1'000'003 + 7; }

}  // namespace

TEST_CASE("4 threads, 48 items: record() never overlaps, work() still runs in parallel, every item once") {
    constexpr std::size_t count = 48;
    Overlap in_work;
    Overlap in_record;
    // Written only inside record(); the atomics let a wrong answer fail a CHECK instead of racing.
    std::vector<std::atomic<int>> times_recorded(count);
    std::vector<std::atomic<std::uint64_t>> recorded(count);

    const auto work = [&](std::size_t i) {
        in_work.enter();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // long enough to overlap, if it can
        in_work.leave();
        return expected_result(i);
    };
    const auto record = [&](std::size_t i, std::uint64_t result) {
        in_record.enter();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (i < count) {
            ++times_recorded[i];
            recorded[i] = result;
        }
        in_record.leave();
    };
    tour_check::within("process_all(4 threads, 48 items) did not return: do the threads' run() calls end?",
                       [&] { exercise::process_all(4, count, work, record); });

    INFO("the most record() calls running at the same time (must be 1: record is not thread-safe)");
    CHECK(in_record.most.load() == 1);
    INFO("the most work() calls running at the same time (must be at least 2: the work may run in parallel)");
    CHECK(in_work.most.load() >= 2);
    std::vector<int> counts;
    std::size_t wrong_results = 0;
    for (std::size_t i = 0; i < count; ++i) {
        counts.push_back(times_recorded[i].load());
        if (recorded[i].load() != expected_result(i)) ++wrong_results;
    }
    CHECK(counts == std::vector<int>(count, 1));  // every item recorded exactly once
    CHECK(wrong_results == 0);
}
