// 01_serial: download every site one after another.
//
//   ./build/01_serial/01_serial                 # 80 pages from the embedded simulator
//   ./build/01_serial/01_serial --urls url_list --repeat 10   # real sites (needs internet)
//
// All the plumbing (options, simulator, timing, report) is in common/program.cpp; the model
// is serial::download_all in serial.cpp.
#include "common/program.hpp"
#include "serial.hpp"

int main(int argc, char** argv) {
    const tour::ProgramInfo info{
        .name = "01_serial",
        .model = "Serial",
        .description = "Chapter 1 of the C++ concurrency tour: download every site one after "
                       "another on one thread, reusing one connection. The total time is the sum "
                       "of all latencies: the baseline the other chapters beat.",
        .workers_rule = tour::WorkersRule::none,
        .default_workers = 1,
        .workers_help = "Accepted for a uniform command line; the serial model has exactly 1 worker",
    };
    return tour::run_download_program(argc, argv, info, [](const tour::DownloadJob& job) {
        return serial::download_all(job.urls, job.fetch, job.progress);
    });
}
