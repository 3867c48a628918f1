// 03_processes: download every site with a pool of worker processes.
//
//   ./build/03_processes/03_processes                 # 80 simulated pages, one process per core
//   ./build/03_processes/03_processes --workers 80    # one process per URL
//   ./build/03_processes/03_processes --urls url_list --repeat 10   # real sites (needs internet)
//
// The plumbing (options, curl_global_init, simulator, timing, report) is in common/program.cpp;
// the model is processes::download_all in processes.cpp. That plumbing starts no thread and
// creates no curl handle, so the process is still single-threaded when the model forks.
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include "common/program.hpp"
#include "processes.hpp"

int main(int argc, char** argv) {
    const tour::ProgramInfo info{
        .name = "03_processes",
        .model = "Processes",
        .description = "Chapter 3 of the C++ concurrency tour: download the sites with a pool of forked worker "
                       "processes, each with its own connection. The parent deals the URLs one at a time through "
                       "a pipe per worker and reads the results back through another; a worker that crashes "
                       "costs the URL it held, which is reported.",
        .workers_rule = tour::WorkersRule::positive,
        .default_workers = processes::default_workers(),  // like multiprocessing.Pool(): the cores
        .workers_help = "Worker processes (default: the number of cores, like multiprocessing.Pool())",
    };
    // TEST-ONLY (tests/processes): TOUR_TEST_CRASH_WORKER=k:j makes worker k die by SIGKILL
    // after j fetches (k:j:exit: exit status 3), to show what a crash costs.
    processes::CrashSwitch crash;
    if (const char* text = std::getenv("TOUR_TEST_CRASH_WORKER"); text != nullptr && *text != '\0') {
        try {
            crash = processes::CrashSwitch::parse(text);
        } catch (const std::invalid_argument& e) {
            std::cerr << info.name << ": TOUR_TEST_CRASH_WORKER: " << e.what() << '\n';
            return 2;
        }
    }
    return tour::run_download_program(argc, argv, info, [&crash](const tour::DownloadJob& job) {
        return processes::download_all(job.urls, job.fetch, job.workers, job.progress, crash);
    });
}
