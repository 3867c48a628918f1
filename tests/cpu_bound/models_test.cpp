// Chapter 5: the workload and every in-process model (threads included) against the reference.
// Assert results, never times: speed belongs to the benchmark (05_cpu_bound --scaling, the docs).
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "cpu_models.hpp"
#include "workload.hpp"

using cpu::Task;
using cpu::TaskResult;

TEST_CASE("the primes below 100, by hand: 25 of them, per decade 4 4 2 2 3 2 2 3 2 1") {
    const auto tasks = cpu::make_tasks(0, 10, 10);
    const auto results = cpu::run_serial(tasks);
    std::vector<std::uint64_t> counts;
    for (const TaskResult& r : results) counts.push_back(r.primes);
    CHECK(counts == std::vector<std::uint64_t>{4, 4, 2, 2, 3, 2, 2, 3, 2, 1});
    CHECK(cpu::total_primes(results) == 25);
    // The checksum of [0, 10) is mix(2) + mix(3) + mix(5) + mix(7), modulo 2^64.
    CHECK(results[0].checksum == cpu::mix(2) + cpu::mix(3) + cpu::mix(5) + cpu::mix(7));
    CHECK(results == cpu::sieve_reference(tasks));
}

TEST_CASE("is_prime at the edges") {
    for (std::uint64_t n : {0, 1, 4, 9, 15, 25, 49, 1'000'000'000, 999'999'999}) {
        CAPTURE(n);
        CHECK_FALSE(cpu::is_prime(n));
    }
    for (std::uint64_t n : {2, 3, 5, 7, 11, 97, 1'000'000'007, 999'999'937}) {
        CAPTURE(n);
        CHECK(cpu::is_prime(n));
    }
    CHECK_FALSE(cpu::is_prime(999'999'937ULL * 3));
    CHECK_FALSE(cpu::is_prime(31'607ULL * 31'607ULL));  // a prime squared: the loop must reach d*d == n
}

TEST_CASE("trial division agrees with the sieve near 10^9 (the default start)") {
    const auto tasks = cpu::make_tasks(1'000'000'000, 5, 2'000);
    CHECK(cpu::run_serial(tasks) == cpu::sieve_reference(tasks));
}

TEST_CASE("every in-process model gives the reference results") {
    const auto tasks = cpu::make_tasks(1'000'000, 13, 1'500);
    const auto reference = cpu::sieve_reference(tasks);
    REQUIRE(cpu::total_primes(reference) > 1'000);
    CHECK(cpu::run_serial(tasks) == reference);
    CHECK(cpu::run_event_loop(tasks) == reference);
    for (int workers : {1, 2, 3, 16}) {  // 16 > 13 tasks: some workers find nothing to do
        CAPTURE(workers);
        CHECK(cpu::run_threads(tasks, workers) == reference);
        CHECK(cpu::run_thread_pool(tasks, workers) == reference);
    }
    for (int threads : {1, 7, 64, 2'000}) {  // 2,000 > 1,500 numbers a task: empty slices
        CAPTURE(threads);
        CHECK(cpu::run_oversubscribed(tasks, threads) == reference);
    }
    if (cpu::par_available()) {
        CHECK(cpu::run_par(tasks) == reference);
    } else {
        CHECK_THROWS_AS(cpu::run_par(tasks), std::logic_error);
    }
}

TEST_CASE("different inputs give different checksums") {
    const auto base = cpu::run_serial(cpu::make_tasks(1'000'000, 4, 1'000));
    const auto shifted = cpu::run_serial(cpu::make_tasks(1'000'500, 4, 1'000));
    const auto longer = cpu::run_serial(cpu::make_tasks(1'000'000, 4, 1'001));
    const auto more = cpu::run_serial(cpu::make_tasks(1'000'000, 5, 1'000));
    const std::set<std::uint64_t> run_checksums = {cpu::run_checksum(base), cpu::run_checksum(shifted),
                                                   cpu::run_checksum(longer), cpu::run_checksum(more)};
    CHECK(run_checksums.size() == 4);
    std::set<std::uint64_t> task_checksums;
    for (const TaskResult& r : base) task_checksums.insert(r.checksum);
    CHECK(task_checksums.size() == base.size());
    // The run checksum depends on the order too: results in the wrong slots are caught.
    auto swapped = base;
    std::swap(swapped[0], swapped[1]);
    CHECK(cpu::run_checksum(swapped) != cpu::run_checksum(base));
}

TEST_CASE("slices cover a task exactly, in order") {
    const Task task{100, 1'103};
    for (std::size_t pieces : {1, 2, 7, 1'003, 5'000}) {
        std::uint64_t next = task.first;
        for (std::size_t i = 0; i < pieces; ++i) {
            const Task s = cpu::slice(task, i, pieces);
            CHECK(s.first == next);
            CHECK(s.last >= s.first);
            next = s.last;
        }
        CHECK(next == task.last);
    }
}

TEST_CASE("make_tasks refuses empty work and numbers past 10^13") {
    CHECK_THROWS_AS(cpu::make_tasks(0, 0, 10), std::invalid_argument);
    CHECK_THROWS_AS(cpu::make_tasks(0, 10, 0), std::invalid_argument);
    CHECK_THROWS_AS(cpu::make_tasks(cpu::max_number - 5, 1, 10), std::invalid_argument);
    CHECK_NOTHROW(cpu::make_tasks(cpu::max_number - 10, 1, 10));
}
