// Chapter 5's first listing, cpu::small::run_threads (05_cpu_bound/small.cpp): the same results as
// the serial model and the sieve, for any number of threads, including more threads than tasks.
#include <doctest/doctest.h>

#include "cpu_models.hpp"
#include "small.hpp"
#include "workload.hpp"

TEST_CASE("the small threads model gives the serial model's results, task by task") {
    const auto tasks = cpu::make_tasks(1'000'000'000, 7, 1'000);
    const auto serial = cpu::run_serial(tasks);
    REQUIRE(serial == cpu::sieve_reference(tasks));
    REQUIRE(cpu::total_primes(serial) > 100);
    for (const std::size_t workers : {1u, 2u, 3u, 7u, 16u}) {  // 16 > 7 tasks: some threads find nothing to do
        CAPTURE(workers);
        const auto results = cpu::small::run_threads(tasks, workers);
        CHECK(results == serial);
        CHECK(cpu::run_checksum(results) == cpu::run_checksum(serial));
    }
}
