// Exercise 6.1 (docs/06-mpi.md), solved: a task that fails is reported, the job goes on.
//
// This is mpi::run_manager_worker (06_mpi/mpi_models.cpp) returning an Outcome (and waiting
// with a plain MPI_Recv). When `work` throws on a worker, the exception leaves that rank;
// nothing tells the manager, which waits for an answer that never comes (or the rank dies and
// mpirun ends the job: every result of every other rank is lost with it).
//
// Solution: the worker catches whatever `work` throws and answers with another tag
// (failed_tag); the manager receives any tag and files the index under Outcome::failed. The
// worker's loop goes on: one failed task costs that task only.
#include "failed_task.hpp"

#include <algorithm>
#include <cstdint>

#include <mpi.h>

namespace exercise {
namespace {
constexpr int task_tag = 1;    // manager -> worker: compute this task
constexpr int stop_tag = 2;    // manager -> worker: no more work
constexpr int result_tag = 3;  // worker -> manager: {index, primes, checksum}
constexpr int failed_tag = 4;  // worker -> manager: {index, 0, 0}, its work threw
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
            std::uint64_t answer[3] = {static_cast<std::uint64_t>(index), 0, 0};
            int tag = result_tag;
            try {
                const cpu::TaskResult r = work(tasks[index]);
                answer[1] = r.primes;
                answer[2] = r.checksum;
            } catch (...) {  // an exception cannot cross to another process: a message can
                tag = failed_tag;
            }
            MPI_Send(answer, 3, MPI_UINT64_T, 0, tag, MPI_COMM_WORLD);
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
        MPI_Recv(answer, 3, MPI_UINT64_T, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
        if (status.MPI_TAG == failed_tag) {
            outcome.failed.push_back(answer[0]);
        } else {
            outcome.results.at(answer[0]) = {answer[1], answer[2]};
        }
        const int tag = next < n ? task_tag : stop_tag;
        MPI_Send(&next, 1, MPI_INT, status.MPI_SOURCE, tag, MPI_COMM_WORLD);
        if (tag == task_tag) ++next; else --busy;
    }
    std::sort(outcome.failed.begin(), outcome.failed.end());  // answers arrive in any order
    return outcome;
}

}  // namespace exercise
