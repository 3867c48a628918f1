// Exercise 6.1 (docs/06-mpi.md): a task that fails must be reported, not lose the whole job.
// Check: ./tour.sh check ch06 failed_task      One hint at a time: ./tour.sh hint ch06 failed_task
//
// failed_task_driver.cpp is mpi::run_manager_worker (06_mpi/mpi_models.cpp); its two steps are
// here. When `work` throws on a worker, the exception leaves that rank; nothing tells the
// manager, which waits for an answer that never comes (or the rank dies and mpirun ends the
// job: every result of every other rank is lost with it).
//
// TODO (the goal): a task whose `work` throws is listed in Outcome::failed, its result stays
// {0, 0}, and every other task is still computed and returned.
// TODO (the constraint): only messages cross between ranks (no file, no shared memory); the
// worker that failed stays in the team and goes on taking tasks.
#include "failed_task.hpp"

#include <cstdint>

#include <mpi.h>

namespace exercise {

void answer_task(std::span<const cpu::Task> tasks, cpu::Work work, int index) {
    // TODO: `work` may throw. Catch it here and tell the manager which task failed.
    const cpu::TaskResult r = work(tasks[static_cast<std::size_t>(index)]);
    const std::uint64_t answer[3] = {static_cast<std::uint64_t>(index), r.primes, r.checksum};
    MPI_Send(answer, 3, MPI_UINT64_T, 0, result_tag, MPI_COMM_WORLD);
}

int receive_answer(Outcome& outcome) {
    std::uint64_t answer[3];
    MPI_Status status;
    // TODO: an answer may now say "task i failed": record it in outcome.failed instead.
    MPI_Recv(answer, 3, MPI_UINT64_T, MPI_ANY_SOURCE, result_tag, MPI_COMM_WORLD, &status);
    outcome.results.at(answer[0]) = {answer[1], answer[2]};
    return status.MPI_SOURCE;
}

}  // namespace exercise
