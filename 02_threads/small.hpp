// Chapter 2: the smallest complete thread pool, the one the chapter shows first.
#pragma once

#include <string>
#include <vector>

#include "common/fetch.hpp"

namespace threads::small {

// Every URL with `workers` threads (at least 1), each with its own connection; one FetchResult
// per URL, in input order.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, int workers);

}  // namespace threads::small
