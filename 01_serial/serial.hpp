// Chapter 1: the serial model. One URL after another, on one thread.
#pragma once

#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/report.hpp"

namespace serial {

// Download every URL in order, each one completely before the next starts. Returns one
// FetchResult per URL, in input order. Failures are recorded, never thrown. Once `stop` says
// stop, the request in flight is aborted and the URLs left are reported cancelled.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls,
                                            const tour::FetchOptions& options, const tour::RunStop& stop,
                                            tour::Progress& progress);

}  // namespace serial
