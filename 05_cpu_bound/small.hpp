// Chapter 5's smallest complete model: CPU-bound tasks on a few threads, each thread taking a
// fixed share. The chapter starts here; cpu_models.hpp holds the real models, built up from it.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "workload.hpp"

namespace cpu::small {

// count_primes for every task on `workers` threads; thread w does tasks w, w + workers, ...
// One result per task, in task order: the same as cpu::run_serial.
std::vector<TaskResult> run_threads(std::span<const Task> tasks, std::size_t workers);

}  // namespace cpu::small
