// Exercise 6.1: a failed task reported, not lost with its job. (Do not edit this header; answer
// in failed_task.cpp.)
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "cpu_models.hpp"  // cpu::Work
#include "workload.hpp"

namespace exercise {

// Rank 0's view of the run (the other ranks get an empty Outcome).
struct Outcome {
    std::vector<cpu::TaskResult> results;  // one per task, in task order; {0, 0} for a failed one
    std::vector<std::size_t> failed;       // the indices of the tasks whose `work` threw, ascending
};

// Manager/worker over MPI_COMM_WORLD (at least 2 ranks): rank 0 deals the tasks, one at a time,
// to the other ranks, which run `work` on each. Every rank calls it with the same tasks.
// Already written (failed_task_driver.cpp): the dealing, and the loops that call the two steps
// below, which are the exercise (failed_task.cpp).
Outcome run_reporting_failures(std::span<const cpu::Task> tasks, cpu::Work work);

// The messages' tags (the task's index travels as one int; an answer as three uint64s).
inline constexpr int task_tag = 1;    // manager -> worker: compute this task
inline constexpr int stop_tag = 2;    // manager -> worker: no more work
inline constexpr int result_tag = 3;  // worker -> manager: {index, primes, checksum}

// On a worker: compute tasks[index] and send the manager its answer.
void answer_task(std::span<const cpu::Task> tasks, cpu::Work work, int index);

// On the manager: receive one answer from any worker and record it in `outcome`. Returns the
// rank that sent it: that worker is free, and the driver sends it the next task (or stop).
int receive_answer(Outcome& outcome);

}  // namespace exercise
