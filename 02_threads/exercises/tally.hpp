// Exercise 2.1: a planted data race. (Do not edit this header; the code to fix is in tally.cpp.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/fetch.hpp"

namespace exercise {

struct Tally {
    std::size_t ok = 0;       // results that succeeded
    std::size_t failed = 0;   // results that did not
    std::uint64_t bytes = 0;  // body bytes over all results

    bool operator==(const Tally&) const = default;
};

// Sum up `results` with `threads` threads (at least 1): thread t looks at results t,
// t + threads, t + 2 * threads, ... The totals must equal a plain loop's, every time.
Tally tally_in_parallel(const std::vector<tour::FetchResult>& results, int threads);

}  // namespace exercise
