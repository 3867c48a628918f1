// Where the URLs come from: a file (--urls), or the embedded simulator, sitesim, run as a
// separate process on a free port of 127.0.0.1 for as long as the program runs
// (simulator/sitesim_process.hpp says how it is started, and why a process).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/input_error.hpp"  // what select_sites throws
#include "common/options.hpp"

namespace tour {

class SiteSimulator;  // simulator/sitesim_process.hpp: included by who talks to it, not by every main

// The URL list of a run, and the simulator serving it (null with --urls). Destroying it stops
// the simulator.
struct SiteList {
    std::vector<std::string> urls;
    std::unique_ptr<SiteSimulator> simulator;

    SiteList();
    SiteList(SiteList&&) noexcept;
    SiteList& operator=(SiteList&&) noexcept;
    ~SiteList();
};

// --urls FILE (read_url_list) or a started simulator with --sites URLs; then --repeat.
// Throws InputError for bad input, and for a list over tour::max_urls (checked before the
// simulator starts or the list is copied).
SiteList select_sites(const Options& options);

}  // namespace tour
