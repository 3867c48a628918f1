// Exercise 1.2: the slowest sites. Read slowest.hpp for the contract, then replace the TODO.
// Check your work: ./tour.sh check ch01 slowest
// One hint at a time: ./tour.sh hint ch01 slowest
#include "slowest.hpp"

#include <algorithm>

namespace exercise {

std::vector<tour::FetchResult> slowest_sites(const std::vector<tour::FetchResult>& results, std::size_t n) {
    // TODO: the n slowest successful fetches, slowest first, ties in URL order. Use the
    //       standard algorithms rather than hand-written loops; `results` stays as it is.
    std::vector<tour::FetchResult> first(results.begin(), results.begin() + static_cast<std::ptrdiff_t>(std::min(n, results.size())));
    return first;
}

}  // namespace exercise
