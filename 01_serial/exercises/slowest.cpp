// Exercise 1.2: the slowest sites. Read slowest.hpp for the contract, then replace the TODO.
// Check your work: ctest --preset exercises -R ch01_slowest
#include "slowest.hpp"

#include <algorithm>

namespace exercise {

std::vector<tour::FetchResult> slowest_sites(const std::vector<tour::FetchResult>& results, std::size_t n) {
    // TODO: keep only successful results, order them by duration (end - start), longest
    //       first and ties by URL, and return the first n. (Hint: std::partial_sort_copy or
    //       copy_if + std::sort.)
    std::vector<tour::FetchResult> first(results.begin(), results.begin() + static_cast<std::ptrdiff_t>(std::min(n, results.size())));
    return first;
}

}  // namespace exercise
