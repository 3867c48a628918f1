// 06_mpi_download: the download list shared out over MPI ranks, each rank a process with its own
// libcurl session, the results gathered to rank 0. Chapter 3's shape (03_processes), with MPI
// as the transport instead of fork and pipes. The model is mpi::download_all in downloads.cpp.
//
//   mpirun -np 2 ./build/06_mpi/06_mpi_download                 # 80 simulated pages, 2 ranks
//   mpirun -np 8 --oversubscribe ./build/06_mpi/06_mpi_download # more ranks than cores
//   mpirun -np 2 ./build/06_mpi/06_mpi_download --urls url_list --repeat 10
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "common/options.hpp"
#include "common/report.hpp"
#include "simulator/sites.hpp"
#include "downloads.hpp"
#include "mpi_session.hpp"

int main(int argc, char** argv) {
    const mpi::Session mpi(argc, argv);  // every rank runs all of main; rank 0 alone prints
    CLI::App app{"Chapter 6 of the C++ concurrency tour: download the sites with MPI ranks, each a process with its "
                 "own connection. Run it under mpirun -np N: rank 0 reads the list (or starts the simulator) and "
                 "sends it to every rank; rank r fetches URLs r, r + N, ...; rank 0 gathers the results and reports, "
                 "as chapters 1-4 do.",
                 "06_mpi_download"};
    tour::Options options;
    tour::add_download_options(app, options);
    app.footer("Run under mpirun: mpirun -np 2 06_mpi_download (as root: export OMPI_ALLOW_RUN_AS_ROOT=1 "
               "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; more ranks than cores: mpirun --oversubscribe).\n"
               "Exit status: 0 every URL was fetched; 1 some failed (listed on stderr); 2 bad usage or bad input.");
    if (const auto exit_now = mpi.parse_command_line(app, argc, argv)) return *exit_now;  // same on every rank
    if (options.fail_fast) {  // every rank parsed the same argv: they all stop here
        if (mpi.root()) {
            std::cerr << "06_mpi_download: --fail-fast is not offered under MPI: a rank cannot stop another rank's "
                         "request, only send it a message it must poll for, or end the whole job with MPI_Abort "
                         "(docs/06-mpi.md, \"Stopping\"); --deadline works (each rank keeps the time itself)\n";
        }
        return 2;
    }

    tour::CurlGlobal curl;  // in every rank: each is a process with its own libcurl
    tour::SiteList sites;   // rank 0's: the list, and the simulator serving it (for as long as main runs)
    int setup_status = 0;   // rank 0's set-up: 0 fine, 2 bad input, 1 anything else
    if (mpi.root()) {
        try {
            sites = tour::select_sites(options);  // set-up: not timed
        } catch (const tour::InputError& e) {  // a bad URL file, a simulator that would not start
            std::cerr << "06_mpi_download: " << e.what() << '\n';
            setup_status = 2;
        } catch (const std::exception& e) {
            std::cerr << "06_mpi_download: error: " << e.what() << '\n';
            setup_status = 1;
        }
    }
    // Every rank waits here for the list; if rank 0 has none, they all stop together.
    if (!mpi::share_urls(mpi, sites.urls, setup_status == 0)) return setup_status;

    tour::print_starting(std::cout, "MPI", sites.urls.size());
    MPI_Barrier(MPI_COMM_WORLD);  // start together: time the downloads, not a late rank's start-up
    const tour::Clock::time_point start = tour::Clock::now();
    const auto deadline = options.deadline() ? std::optional(start + *options.deadline()) : std::nullopt;
    auto downloads = mpi::download_all(mpi, sites.urls, options.fetch_options(), deadline);  // rank 0 gets them all
    const double seconds = tour::seconds_since(start);
    if (!mpi.root()) return 0;  // rank 0 reports for the job (and mpirun returns its status)
    tour::print_finished(std::cout, "MPI", sites.urls.size(), seconds);

    const tour::RunReport report{"MPI", mpi.size(), start, seconds, std::move(downloads.results), downloads.stop};
    tour::print_summary(std::cout, std::cerr, report);  // counts on stdout, each failure on stderr
    int status = 2;
    try {
        if (options.json_file) tour::write_json(*options.json_file, report);
        status = tour::exit_status(report, sites.urls.size());  // 0 all fetched, 1 some failed
    } catch (const tour::InputError& e) {
        std::cerr << "06_mpi_download: " << e.what() << '\n';
    }
    // A stuck rank never reaches MPI_Finalize, and the others would wait there for it for ever:
    // MPI's only way to end a job without one of its ranks is MPI_Abort, which ends them all.
    if (downloads.rank_stuck) mpi.abort_job("a rank is stuck (see above); the report is complete", 1);
    return status;
}
