// Exercise 2.7: workers that stop when asked. (Do not edit this header; answer in stop_workers.cpp.)
#pragma once

#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "common/fetch.hpp"

namespace exercise {

using FetchFn = std::function<tour::FetchResult(const std::string& url)>;

// The error of a URL that no worker fetched because the run was stopped first.
inline const std::string not_started = "cancelled: stop requested before it started";

// The pool of threads.cpp, with a way to stop it: `workers` threads take the next URL from a
// shared counter and fetch it, until every URL is taken or `stop` is requested (from any
// thread, at any time). A fetch already started is not interrupted: it finishes and is reported.
// After a worker has seen the stop it takes no URL. One result per URL, in input order: a URL
// that no worker fetched has its url and the error `not_started`. Nothing is lost silently.
std::vector<tour::FetchResult> download_until_stopped(const std::vector<std::string>& urls, int workers,
                                                      const FetchFn& fetch, std::stop_token stop);

}  // namespace exercise
