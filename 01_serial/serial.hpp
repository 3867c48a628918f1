// Chapter 1: the serial model. One URL after another, on one thread.
#pragma once

#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/report.hpp"

namespace serial {

// Download every URL in order, each one completely before the next starts. Returns one
// FetchResult per URL, in input order. Failures are recorded, never thrown.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls,
                                            const tour::FetchOptions& options,
                                            tour::Progress& progress);

}  // namespace serial
