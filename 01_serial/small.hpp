// Chapter 1: the smallest complete serial model, the one the chapter shows first.
#pragma once

#include <string>
#include <vector>

#include "common/fetch.hpp"

namespace serial::small {

// Every URL in order on one connection; one FetchResult per URL, failures recorded, never thrown.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls);

}  // namespace serial::small
