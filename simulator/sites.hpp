// Where the URLs come from: a file (--urls), or the embedded simulator, sitesim, run as a
// separate process on a free port of 127.0.0.1 for as long as the program runs
// (simulator/sitesim_process.hpp says how it is started, and why a process).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/options.hpp"
#include "common/url_list.hpp"  // InputError
#include "simulator/sitesim_process.hpp"

namespace tour {

// The URL list of a run, and the simulator serving it (null with --urls).
struct SiteList {
    std::vector<std::string> urls;
    std::unique_ptr<SiteSimulator> simulator;
};

// --urls FILE (read_url_list) or a started simulator with --sites URLs; then --repeat.
// Throws InputError for bad input, and for a list over tour::max_urls (checked before the
// simulator starts or the list is copied).
SiteList select_sites(const Options& options);

}  // namespace tour
