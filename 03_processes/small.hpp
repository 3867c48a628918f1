// Chapter 3's smallest complete model: fork the workers, let each fetch its share of the URLs,
// read their answers back through a pipe each, reap them. The chapter starts here; the real
// model (processes.hpp) adds what this one leaves out, piece by piece.
#pragma once

#include <string>
#include <vector>

#include "common/fetch.hpp"

namespace processes::small {

// Fetch every URL with `workers` forked processes; worker w takes URLs w, w + workers, ...
// One FetchResult per URL, in input order; a URL whose worker died says "lost". Call it from a
// single-threaded process (fork copies only the calling thread) with SIGPIPE ignored.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, std::size_t workers);

// The same, with the sessions a test hands it (tests/support/fake_session.hpp); each child makes one.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, std::size_t workers,
                                            const tour::NewSession& new_session);

}  // namespace processes::small
