// The check for exercise 5.2: the same primes whatever the chunk size, and exactly
// ceil(size / chunk) claims.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "chunks.hpp"
#include "exercise_check.hpp"

template <>
struct doctest::StringMaker<cpu::TaskResult> {
    static doctest::String convert(const cpu::TaskResult& r) {
        return ("{primes " + std::to_string(r.primes) + ", checksum " + std::to_string(r.checksum) + "}").c_str();
    }
};

namespace {
// count_chunked, with a deadline: a claim that takes no numbers would loop for ever.
exercise::ChunkedResult count_chunked(cpu::Task range, int threads, std::uint64_t chunk) {
    return tour_check::within("count_chunked([" + std::to_string(range.first) + ", " + std::to_string(range.last) +
                                  "), " + std::to_string(threads) + " threads, chunk " + std::to_string(chunk) +
                                  ") did not return: does every claim move the shared counter on?",
                              [&] { return exercise::count_chunked(range, threads, chunk); });
}

std::size_t claims_expected(const cpu::Task& range, std::uint64_t chunk) {
    return static_cast<std::size_t>((range.size() + chunk - 1) / chunk);
}
}  // namespace

TEST_CASE("chunk size 1 is the one-number-per-claim version") {
    const cpu::Task range{0, 100};
    const auto got = count_chunked(range, 2, 1);
    CHECK(got.total.primes == 25);
    CHECK(got.total == cpu::count_primes(range));
    CHECK(got.claims == 100);
}

TEST_CASE("bigger chunks: the same primes, far fewer claims") {
    const cpu::Task range{1'000'000, 1'010'000};
    const cpu::TaskResult expected = cpu::sieve_reference(std::vector<cpu::Task>{range})[0];
    for (std::uint64_t chunk : {7ULL, 1'000ULL, 4'096ULL, 10'000ULL, 1'000'000ULL}) {
        for (int threads : {1, 3}) {
            CAPTURE(chunk);
            CAPTURE(threads);
            const auto got = count_chunked(range, threads, chunk);
            CHECK(got.total == expected);
            CHECK_MESSAGE(got.claims == claims_expected(range, chunk), "each claim on the shared counter must take `chunk` "
                          "numbers (the last may be shorter): " << claims_expected(range, chunk) << " claims for "
                          << range.size() << " numbers, not " << got.claims);
        }
    }
}
