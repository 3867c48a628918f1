// Chapter 6: chapter 5's CPU-bound tasks spread over MPI ranks, two ways.
//
// Every rank calls the same function with the same task list (each computed it from the same
// command line: nothing needs sending for that). Only rank 0 gets the results, one per task in
// task order; the other ranks get an empty vector. The work (cpu::count_primes) and the
// results (cpu::TaskResult) are chapter 5's, so the reference check is too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "cpu_models.hpp"  // cpu::Work
#include "mpi_session.hpp"  // mpi::Session: this rank, and how many
#include "workload.hpp"    // cpu::Task, cpu::TaskResult

namespace mpi {

// Static blocks: rank r computes the r-th contiguous block of tasks, then MPI_Reduce adds every
// rank's results into rank 0's. No messages while computing; a rank with slower tasks makes
// everybody wait for it.
std::vector<cpu::TaskResult> run_static_blocks(const Session& mpi, std::span<const cpu::Task> tasks,
                                               cpu::Work work = cpu::count_primes);

// Manager/worker: rank 0 deals one task at a time to whichever worker answers first (MPI_Send,
// MPI_Recv from MPI_ANY_SOURCE), so uneven tasks even out. Rank 0 computes nothing: run one
// rank more than you have cores. Alone (one rank), rank 0 does every task itself.
std::vector<cpu::TaskResult> run_manager_worker(const Session& mpi, std::span<const cpu::Task> tasks,
                                                cpu::Work work = cpu::count_primes);

// `count` consecutive tasks from `start` whose sizes grow linearly (the last about twice
// `size`, the first almost nothing): `count * size` numbers in all, like cpu::make_tasks, but
// uneven, so a static split is not fair.
std::vector<cpu::Task> make_uneven_tasks(std::uint64_t start, std::size_t count, std::uint64_t size);

}  // namespace mpi
