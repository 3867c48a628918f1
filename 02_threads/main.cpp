// 02_threads: download every site with a pool of threads.
//
//   ./build/02_threads/02_threads                  # 80 simulated pages, 10 threads
//   ./build/02_threads/02_threads --workers 0      # one thread per URL
//   ./build/02_threads/02_threads --urls url_list --repeat 10   # real sites (needs internet)
//
// The plumbing (options, curl_global_init before any thread, simulator, timing, report) is in
// common/program.cpp; the model is threads::download_all in threads.cpp.
#include "common/program.hpp"
#include "threads.hpp"

int main(int argc, char** argv) {
    const tour::ProgramInfo info{
        .name = "02_threads",
        .model = "Threads",
        .description = "Chapter 2 of the C++ concurrency tour: download the sites with a pool of threads, each "
                       "with its own connection, taking the next URL from a shared atomic counter. While one "
                       "thread waits for the network, the others wait for theirs: the waits overlap.",
        .workers_rule = tour::WorkersRule::zero_per_url,
        .default_workers = 10,  // like the demo's ThreadPoolExecutor(max_workers=10)
        .workers_help = "Threads in the pool (default 10); 0 starts one thread per URL",
    };
    return tour::run_download_program(argc, argv, info, [](const tour::DownloadJob& job) {
        return threads::download_all(job.urls, job.fetch, job.workers, job.progress);
    });
}
