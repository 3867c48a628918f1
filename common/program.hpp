// The plumbing every download program shares, so that each chapter's main.cpp is a few lines
// and the model function is all a reader has to study:
//   parse the command line -> curl_global_init -> pick the sites (file or simulator)
//   -> start the clock -> run the model -> stop the clock -> report -> exit status.
// Set-up is outside the timed region: only the model's own work is measured.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/options.hpp"
#include "common/report.hpp"

namespace tour {

// Everything a model needs to do its job.
struct DownloadJob {
    const std::vector<std::string>& urls;
    const FetchOptions& fetch;
    int workers;          // as given by --workers (or the program's default)
    Progress& progress;   // call progress.completed(result) as each URL finishes
};

// A model: returns one FetchResult per URL, in the order of job.urls.
using DownloadModel = std::function<std::vector<FetchResult>(const DownloadJob&)>;

// Runs the whole program and returns main's exit status (0, 1 or 2).
int run_download_program(int argc, const char* const* argv, const ProgramInfo& info,
                         const DownloadModel& model);

// How many workers the report should show for a run (e.g. 0 = "one per URL" becomes the URL count).
int effective_workers(const ProgramInfo& info, int workers, std::size_t url_count);

}  // namespace tour
