// Chapter 1: the serial model, the baseline every other chapter is measured against.
//
// The Python demo's version:
//
//     def download_all_sites(sites):
//         with requests.Session() as session:
//             for url in sites:
//                 download_site(url, session)
//
// The C++ version below is the same shape. While one request waits for the network (almost
// all of its time), the program does nothing else: total time = the sum of all latencies.
//
// Stopping (a deadline, Ctrl-C, --fail-fast: common/stop.hpp) needs two checks here, because
// there is one thread and it is always in one of two places: between requests (the loop asks
// `stop` before each one) or inside one (the session's progress callback aborts it).
#include "serial.hpp"

namespace serial {

// [docs:download_all]
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls,
                                            const tour::FetchOptions& options, const tour::RunStop& stop,
                                            tour::Progress& progress) {
    // One session for the whole run, like `with requests.Session() as session`: it owns one
    // libcurl handle, which keeps the TCP connection open between requests (keep-alive), so
    // only the first request to a host pays for the connection set-up. `stop`: see Stopping.
    tour::HttpSession session(options, &stop);

    std::vector<tour::FetchResult> results;
    results.reserve(urls.size());
    for (const std::string& url : urls) {
        // get() blocks until this page has fully arrived or failed. A failure is written into
        // the result (never thrown), so one bad site cannot stop the run.
        // [docs:serial_stop]
        tour::FetchResult result = stop.stop_requested() ? tour::cancelled(url, stop.reason()) : session.get(url);
        // [/docs:serial_stop]
        result.worker = 0;  // one worker: this thread
        progress.completed(result);
        results.push_back(std::move(result));
    }
    return results;
}
// [/docs:download_all]

}  // namespace serial
