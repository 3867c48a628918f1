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
Outcome run_reporting_failures(std::span<const cpu::Task> tasks, cpu::Work work);

}  // namespace exercise
