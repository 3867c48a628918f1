// Exercise 6.1 (docs/06-mpi.md): a task that fails must be reported, not lose the whole job.
//
// This is mpi::run_manager_worker (06_mpi/mpi_models.cpp) returning an Outcome (and waiting
// with a plain MPI_Recv). When `work` throws on a worker, the exception leaves that rank;
// nothing tells the manager, which waits for an answer that never comes (or the rank dies and
// mpirun ends the job: every result of every other rank is lost with it).
//
// TODO (the goal): a task whose `work` throws is listed in Outcome::failed, its result stays
// {0, 0}, and every other task is still computed and returned.
// TODO (the constraint): only messages cross between ranks (no file, no shared memory); the
// worker that failed stays in the team and goes on taking tasks.
// Check: ./tour.sh check ch06 failed_task      Hints: exercises/HINTS.md
#include "failed_task.hpp"

#include <cstdint>

#include <mpi.h>

namespace exercise {
namespace {
constexpr int task_tag = 1;    // manager -> worker: compute this task
constexpr int stop_tag = 2;    // manager -> worker: no more work
constexpr int result_tag = 3;  // worker -> manager: {index, primes, checksum}
}  // namespace

Outcome run_reporting_failures(std::span<const cpu::Task> tasks, cpu::Work work) {
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const int n = static_cast<int>(tasks.size());
    if (rank != 0) {
        for (;;) {
            int index = 0;
            MPI_Status status;
            MPI_Recv(&index, 1, MPI_INT, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
            if (status.MPI_TAG == stop_tag) return {};
            // TODO: `work` may throw. Catch it here and tell the manager which task failed.
            const cpu::TaskResult r = work(tasks[index]);
            const std::uint64_t answer[3] = {static_cast<std::uint64_t>(index), r.primes, r.checksum};
            MPI_Send(answer, 3, MPI_UINT64_T, 0, result_tag, MPI_COMM_WORLD);
        }
    }
    Outcome outcome;
    outcome.results.resize(tasks.size());
    int next = 0, busy = 0;
    for (int worker = 1; worker < size; ++worker) {
        const int tag = next < n ? task_tag : stop_tag;
        MPI_Send(&next, 1, MPI_INT, worker, tag, MPI_COMM_WORLD);
        if (tag == task_tag) ++next, ++busy;
    }
    while (busy > 0) {
        std::uint64_t answer[3];
        MPI_Status status;
        // TODO: an answer may now say "task i failed": record it in outcome.failed instead.
        MPI_Recv(answer, 3, MPI_UINT64_T, MPI_ANY_SOURCE, result_tag, MPI_COMM_WORLD, &status);
        outcome.results.at(answer[0]) = {answer[1], answer[2]};
        const int tag = next < n ? task_tag : stop_tag;
        MPI_Send(&next, 1, MPI_INT, status.MPI_SOURCE, tag, MPI_COMM_WORLD);
        if (tag == task_tag) ++next; else --busy;
    }
    return outcome;
}

}  // namespace exercise
