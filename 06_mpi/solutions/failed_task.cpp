// Exercise 6.1, a worked answer: an exception cannot cross to another process, a message can.
// A fourth tag says "this task failed"; the manager receives any tag and looks at it.
#include "failed_task.hpp"

#include <cstdint>

#include <mpi.h>

namespace exercise {
namespace {
constexpr int failed_tag = 4;  // worker -> manager: {index, 0, 0}, its work threw
}  // namespace

void answer_task(std::span<const cpu::Task> tasks, cpu::Work work, int index) {
    std::uint64_t answer[3] = {static_cast<std::uint64_t>(index), 0, 0};
    int tag = result_tag;
    try {
        const cpu::TaskResult r = work(tasks[static_cast<std::size_t>(index)]);
        answer[1] = r.primes;
        answer[2] = r.checksum;
    } catch (...) {  // the worker stays in the team: the driver's loop goes on taking tasks
        tag = failed_tag;
    }
    MPI_Send(answer, 3, MPI_UINT64_T, 0, tag, MPI_COMM_WORLD);
}

int receive_answer(Outcome& outcome) {
    std::uint64_t answer[3];
    MPI_Status status;
    // Any tag: a receive for result_tag alone would never match a failure, and its worker
    // would never hear back.
    MPI_Recv(answer, 3, MPI_UINT64_T, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == failed_tag) {
        outcome.failed.push_back(answer[0]);
    } else {
        outcome.results.at(answer[0]) = {answer[1], answer[2]};
    }
    return status.MPI_SOURCE;
}

}  // namespace exercise
