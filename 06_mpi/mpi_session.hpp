// Chapter 6: MPI_Init and MPI_Finalize as one object, and who this process is.
//
// Every process mpirun starts runs the same program from main(); what makes them a team is
// MPI_Init, which connects each one to the others (through the mpirun that started them), and
// gives it a rank: 0, 1, ..., size - 1. Rank 0 is the one that speaks: the others compute, and
// send what they found to it.
#pragma once

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include "common/options.hpp"

#include <mpi.h>

namespace mpi {

class Session {
public:
    Session(int& argc, char**& argv) {
        // FUNNELED: this process may have other threads (06_mpi_download's deadline timer), but
        // only this one calls MPI. Errors abort the whole job (MPI_ERRORS_ARE_FATAL).
        int provided = 0;
        MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
        // Only rank 0 prints: with 4 ranks, --help or a usage error would otherwise appear 4
        // times. The other ranks' std::cout writes nowhere (their errors still reach stderr).
        if (rank_ != 0) std::cout.rdbuf(nullptr);
    }
    // Every rank must call MPI_Finalize before it exits; a rank that exits without it makes
    // mpirun abort the job and report a failure, even after a correct run.
    ~Session() { MPI_Finalize(); }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // End the whole job now, every rank (MPI_Abort; mpirun exits with `status`), after saying
    // why on stderr. For when MPI_Finalize cannot work: a rank will never get there.
    [[noreturn]] void abort_job(const std::string& why, int status) const {
        std::cerr << "rank " << rank_ << ": ending the job with MPI_Abort: " << why << std::endl;
        MPI_Abort(MPI_COMM_WORLD, status);
        std::abort();  // MPI_Abort does not return; the compiler does not know that
    }

    int rank() const { return rank_; }
    int size() const { return size_; }
    bool root() const { return rank_ == 0; }

    // tour::parse_command_line on every rank (each needs the options), said once: every rank
    // parses the same argv and reaches the same verdict, so only rank 0's is printed.
    std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv) const {
        std::streambuf* const err = std::cerr.rdbuf();
        if (rank_ != 0) std::cerr.rdbuf(nullptr);
        const std::optional<int> exit_now = tour::parse_command_line(app, argc, argv);
        std::cerr.rdbuf(err);
        return exit_now;
    }

private:
    int rank_ = 0, size_ = 1;
};

}  // namespace mpi
