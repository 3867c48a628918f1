// Exercise 1.2: report the slowest sites. (Do not edit this header; answer in slowest.cpp.)
#pragma once

#include <cstddef>
#include <vector>

#include "common/fetch.hpp"

namespace exercise {

// The `n` slowest *successful* fetches (duration = end - start), slowest first; equal
// durations in URL order. Fewer than `n` when fewer succeeded. The input is not modified.
std::vector<tour::FetchResult> slowest_sites(const std::vector<tour::FetchResult>& results, std::size_t n);

}  // namespace exercise
