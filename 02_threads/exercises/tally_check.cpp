// The check for exercise 2.1: many threads, made-up results (no network), exact totals.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "exercise_check.hpp"
#include "tally.hpp"

template <>
struct doctest::StringMaker<exercise::Tally> {
    static doctest::String convert(const exercise::Tally& t) {
        return ("{ok " + std::to_string(t.ok) + ", failed " + std::to_string(t.failed) + ", bytes " +
                std::to_string(t.bytes) + "}").c_str();
    }
};

namespace {

std::vector<tour::FetchResult> made_up(std::size_t count) {
    std::vector<tour::FetchResult> results(count);
    for (std::size_t i = 0; i < count; ++i) {
        results[i].url = "http://example.test/" + std::to_string(i);
        results[i].bytes = 1000 + i % 7;
        if (i % 10 == 3) results[i].error = "curl error 7: Connection refused";  // every 10th fails
    }
    return results;
}

// tally_in_parallel, called on this thread (so a ThreadSanitizer report ends at the exercise's
// code, not in a watchdog's machinery), under an alarm: a lock that is never released must not
// hang the check.
exercise::Tally tally(const std::vector<tour::FetchResult>& results, int threads) {
    const tour_check::Alarm alarm("tally_in_parallel(" + std::to_string(results.size()) + " results, " +
                                  std::to_string(threads) + " threads) did not return: is a thread waiting for a "
                                  "lock that is never released?");
    return exercise::tally_in_parallel(results, threads);
}

exercise::Tally plain_loop(const std::vector<tour::FetchResult>& results) {
    exercise::Tally t;
    for (const auto& r : results) {
        if (r.ok()) ++t.ok;
        else ++t.failed;
        t.bytes += r.bytes;
    }
    return t;
}

}  // namespace

TEST_CASE("one thread: the same totals as a plain loop") {
    const auto results = made_up(100);
    CHECK(tally(results, 1) == plain_loop(results));
}

TEST_CASE("four threads: still exactly the same totals, run after run") {
    const auto results = made_up(300);  // few: each one yields the processor in the untouched exercise
    const exercise::Tally expected = plain_loop(results);
    for (int run = 0; run < 3; ++run) {
        CAPTURE(run);
        const exercise::Tally got = tally(results, 4);
        CHECK_MESSAGE(got == expected, "4 threads counted " << got.ok << " ok, " << got.failed << " failed and "
                      << got.bytes << " bytes; a plain loop counts " << expected.ok << ", " << expected.failed << " and "
                      << expected.bytes << ". Updates were lost: two threads read the same total, both add, both "
                                           "write back (a data race).");
    }
}

TEST_CASE("more threads than results") {
    const auto results = made_up(5);
    CHECK(tally(results, 16) == plain_loop(results));
}
