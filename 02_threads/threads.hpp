// Chapter 2: a pool of threads. Each thread fetches one URL at a time with its own session;
// while one thread waits for the network, the others wait for theirs: the waits overlap.
#pragma once

#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/report.hpp"

namespace threads {

// Download every URL with `workers` threads (0: one thread per URL; never more threads than
// URLs). Returns one FetchResult per URL, in input order. Nothing a fetch does - fail, throw -
// is thrown from here: it is recorded as that URL's error. If the operating system refuses to
// start a thread, the threads already running finish their current request and the URLs no
// thread took are reported as not fetched, with the reason. Once `stop` says stop, no thread
// starts a URL (each one left is reported cancelled) and the transfers in flight are aborted.
// Throws std::invalid_argument for workers < 0.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            int workers, const tour::RunStop& stop, tour::Progress& progress);

// The same, with each thread's session made by `new_session` (the one above passes
// tour::http_sessions(options, &stop); a test passes its own, which sees `stop` if it captured it).
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::NewSession& new_session,
                                            int workers, const tour::RunStop& stop, tour::Progress& progress);

}  // namespace threads
