// Exercise 6.1, already written: mpi::run_manager_worker (06_mpi/mpi_models.cpp), with the two
// steps of the exercise (answer_task, receive_answer) in failed_task.cpp. Compiled with your
// file (and with the worked answer in CI): nothing to change here.
#include "failed_task.hpp"

#include <algorithm>

#include <mpi.h>

namespace exercise {

Outcome run_reporting_failures(std::span<const cpu::Task> tasks, cpu::Work work) {
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const int n = static_cast<int>(tasks.size());
    if (rank != 0) {  // a worker: tasks until told to stop
        for (;;) {
            int index = 0;
            MPI_Status status;
            MPI_Recv(&index, 1, MPI_INT, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
            if (status.MPI_TAG == stop_tag) return {};
            answer_task(tasks, work, index);
        }
    }
    Outcome outcome;  // the manager
    outcome.results.resize(tasks.size());
    int next = 0, busy = 0;
    for (int worker = 1; worker < size; ++worker) {  // one task to each worker (or stop)
        const int tag = next < n ? task_tag : stop_tag;
        MPI_Send(&next, 1, MPI_INT, worker, tag, MPI_COMM_WORLD);
        if (tag == task_tag) ++next, ++busy;
    }
    while (busy > 0) {  // each answer frees its worker: give it the next task, or stop
        const int worker = receive_answer(outcome);
        const int tag = next < n ? task_tag : stop_tag;
        MPI_Send(&next, 1, MPI_INT, worker, tag, MPI_COMM_WORLD);
        if (tag == task_tag) ++next; else --busy;
    }
    std::sort(outcome.failed.begin(), outcome.failed.end());  // answers arrive in any order
    return outcome;
}

}  // namespace exercise
