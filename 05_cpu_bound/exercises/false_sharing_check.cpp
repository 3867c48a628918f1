// The check for exercise 5.1: the totals stay right, and no two threads' counters can share
// a cache line (checked from the counters' alignment and their addresses).
#include <doctest/doctest.h>

#include <new>

#include "exercise_check.hpp"
#include "false_sharing.hpp"

namespace {

constexpr std::size_t line = std::hardware_destructive_interference_size;

// count_with_counters, with a deadline.
exercise::CountResult count_with_counters(cpu::Task range, int threads) {
    return tour_check::within("count_with_counters([" + std::to_string(range.first) + ", " + std::to_string(range.last) +
                                  "), " + std::to_string(threads) + " threads) did not return",
                              [&] { return exercise::count_with_counters(range, threads); });
}

exercise::CountResult reference(cpu::Task range) {
    exercise::CountResult r;
    for (std::uint64_t x = range.first; x < range.last; ++x) {
        if (exercise::is_prime_counting(x, r.divisions)) ++r.primes;
    }
    return r;
}

}  // namespace

TEST_CASE("the totals are right for any number of threads") {
    const cpu::Task range{1'000'000, 1'020'000};
    const auto expected = reference(range);
    CHECK(expected.primes == cpu::count_primes(range).primes);
    for (int threads : {1, 2, 3, 8}) {
        CAPTURE(threads);
        const auto got = count_with_counters(range, threads);
        CHECK(got.primes == expected.primes);
        CHECK(got.divisions == expected.divisions);
        CHECK(got.counter_addresses.size() == static_cast<std::size_t>(threads));
    }
    CHECK(count_with_counters({0, 100}, 2).primes == 25);  // 2, 3, 5, ..., 97
}

TEST_CASE("every thread's counter has a cache line to itself") {
    const auto got = count_with_counters({1'000'000, 1'001'000}, 4);
    REQUIRE(got.counter_addresses.size() == 4);
    INFO("cache line (std::hardware_destructive_interference_size): " << line << " bytes");
    CHECK(got.counter_alignment >= line);
    for (std::size_t t = 0; t < got.counter_addresses.size(); ++t) {
        CAPTURE(t);
        CHECK(got.counter_addresses[t] % line == 0);  // starts a line...
        if (t > 0) CHECK(got.counter_addresses[t] - got.counter_addresses[t - 1] >= line);  // ...and owns it
    }
}
