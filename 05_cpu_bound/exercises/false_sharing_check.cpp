// The check for exercise 5.1: the totals stay right; no two threads' counters share a cache line
// (from the addresses the answer reports); and the hot loop counts where no other thread writes
// (the check passes its own is_prime, which notes where each thread counts its divisions).
#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <new>
#include <set>
#include <string>

#include "exercise_check.hpp"
#include "false_sharing.hpp"

namespace {

constexpr std::size_t line = std::hardware_destructive_interference_size;

// Where the threads counted their divisions: every address is_prime was handed.
std::mutex counted_at_mutex;
std::set<std::uintptr_t> counted_at;
bool watched_is_prime(std::uint64_t n, std::uint64_t& divisions) {
    thread_local const std::uint64_t* last = nullptr;
    if (&divisions != last) {  // cheap: a thread counts in one place, or a few
        last = &divisions;
        const std::lock_guard lock(counted_at_mutex);
        counted_at.insert(reinterpret_cast<std::uintptr_t>(&divisions));
    }
    return exercise::is_prime_counting(n, divisions);
}

// count_with_counters with the watched is_prime, and a deadline.
exercise::CountResult count(cpu::Task range, int threads) {
    counted_at.clear();
    return tour_check::within("count_with_counters([" + std::to_string(range.first) + ", " + std::to_string(range.last) +
                                  "), " + std::to_string(threads) + " threads) did not return",
                              [&] { return exercise::count_with_counters(range, threads, watched_is_prime); });
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
        const auto got = count(range, threads);
        CHECK(got.primes == expected.primes);
        CHECK(got.divisions == expected.divisions);
        CHECK(got.primes_at.size() == static_cast<std::size_t>(threads));
        CHECK(got.divisions_at.size() == static_cast<std::size_t>(threads));
    }
    CHECK(count({0, 100}, 2).primes == 25);  // 2, 3, 5, ..., 97
}

TEST_CASE("no two threads' counters share a cache line") {
    const auto got = count({1'000'000, 1'001'000}, 4);
    REQUIRE(got.primes_at.size() == 4);
    REQUIRE(got.divisions_at.size() == 4);
    std::map<std::uintptr_t, std::set<std::size_t>> threads_on_line;  // line number -> threads with a counter there
    for (std::size_t t = 0; t < 4; ++t) {
        for (const std::uintptr_t at : {got.primes_at[t], got.divisions_at[t]}) {
            threads_on_line[at / line].insert(t);
            threads_on_line[(at + sizeof(std::uint64_t) - 1) / line].insert(t);
        }
    }
    std::string shared;
    for (const auto& [number, threads] : threads_on_line) {
        if (threads.size() < 2) continue;
        shared += "\n  one line holds counters of threads";
        for (const std::size_t t : threads) shared += " " + std::to_string(t);
    }
    CHECK_MESSAGE(shared.empty(), "threads' counters share cache lines (" << line << " bytes each, "
                  "std::hardware_destructive_interference_size): each write by one thread takes the line from the "
                  "others" << shared);
}

TEST_CASE("the hot loop counts where no other thread writes, and reports once") {
    const auto got = count({1'000'000, 1'001'000}, 4);
    REQUIRE(got.divisions_at.size() == 4);
    std::size_t in_shared = 0;
    for (const std::uintptr_t at : got.divisions_at) in_shared += counted_at.count(at);
    CHECK_MESSAGE(in_shared == 0, in_shared << " of 4 threads counted their divisions straight into the shared counter "
                  "they report in (is_prime was handed its address): every division writes shared memory. Count in a "
                  "local variable, and write the shared counter once, at the end.");
}
