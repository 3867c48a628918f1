// Exercise 2.4: Python's executor.map with std::async. (Do not edit this header; write your
// answer in async_map.cpp.)
//
//     with ThreadPoolExecutor(max_workers=len(urls)) as executor:
//         results = list(executor.map(fetch, urls))
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/fetch.hpp"

namespace exercise {

using FetchFn = std::function<tour::FetchResult(const std::string& url)>;

// Fetch every URL on a task of its own, all of them at the same time (std::async), and return
// one result per URL in input order. A task that throws must not cost the others their results:
// that URL's result gets url = the URL and error = "exception: " + what(). `fetch` may be
// called from several threads at once.
std::vector<tour::FetchResult> fetch_all(const std::vector<std::string>& urls, const FetchFn& fetch);

}  // namespace exercise
