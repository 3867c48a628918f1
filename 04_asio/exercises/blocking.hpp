// Exercise 4.2: find the call that blocks the event loop. (Do not edit this header; answer in
// blocking.cpp.)
#pragma once

#include <string>
#include <vector>

#include "common/fetch.hpp"

namespace exercise {

// Fetch every URL from one thread with a coroutine per URL, all in flight together. One
// FetchResult per URL, in input order.
std::vector<tour::FetchResult> fetch_all(const std::vector<std::string>& urls, const tour::FetchOptions& options);

}  // namespace exercise
