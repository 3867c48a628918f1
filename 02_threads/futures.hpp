// Chapter 2, the same download with futures: one std::async task per URL, at most N of them
// fetching at once (a std::counting_semaphore). The counterpart of the demo's
// ThreadPoolExecutor.submit + Future.result, next to the pool of threads.hpp.
#pragma once

#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/report.hpp"

namespace threads {

// Download every URL, each on a std::async task (a thread of its own), with at most
// `max_in_flight` requests at once (0: no cap). One FetchResult per URL, in input order; what a
// task throws, and a thread the OS refuses, become that URL's error. Once `stop` says stop, no
// task starts a request (each reports its URL cancelled) and the transfers in flight are
// aborted. Throws std::invalid_argument for max_in_flight < 0.
std::vector<tour::FetchResult> download_with_futures(const std::vector<std::string>& urls,
                                                     const tour::FetchOptions& options, int max_in_flight,
                                                     const tour::RunStop& stop, tour::Progress& progress);

// The same, each task's session made by `new_session` (a test passes its own).
std::vector<tour::FetchResult> download_with_futures(const std::vector<std::string>& urls,
                                                     const tour::NewSession& new_session, int max_in_flight,
                                                     const tour::RunStop& stop, tour::Progress& progress);

}  // namespace threads
