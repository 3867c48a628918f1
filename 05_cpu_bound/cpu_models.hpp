// Chapter 5: the same CPU-bound tasks run by every model of chapters 1-4 (and two more).
//
// Each model takes the tasks and the function that does one task (`work`, normally
// cpu::count_primes) and returns one result per task, in task order. The work is identical;
// only who runs it, and where, changes. Read cpu_models.cpp top to bottom.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "workload.hpp"

namespace cpu {

// The work of one task. A plain function pointer: it is all a forked child needs.
using Work = TaskResult (*)(const Task&);

// Chapter 1: one task after another on this thread. The baseline.
std::vector<TaskResult> run_serial(std::span<const Task> tasks, Work work = count_primes);

// Chapter 2: `workers` std::jthreads take tasks from a shared atomic counter.
std::vector<TaskResult> run_threads(std::span<const Task> tasks, int workers, Work work = count_primes);

// Chapter 3: fork `workers` children; child w does tasks w, w + workers, ...; the results come
// back through MAP_SHARED memory. Must be called while this process has a single thread
// (throws std::logic_error otherwise). Throws ChildFailed if a child crashed or failed.
std::vector<TaskResult> run_processes(std::span<const Task> tasks, int workers, Work work = count_primes);

// Chapter 4: every task posted to one asio::io_context, run on this one thread.
std::vector<TaskResult> run_event_loop(std::span<const Task> tasks, Work work = count_primes);

// asio::thread_pool with `workers` threads: the C++ concurrent.futures executor.
std::vector<TaskResult> run_thread_pool(std::span<const Task> tasks, int workers, Work work = count_primes);

// `threads` threads (far more than cores), each doing 1/threads of every task.
std::vector<TaskResult> run_oversubscribed(std::span<const Task> tasks, int threads, Work work = count_primes);

// std::transform(std::execution::par, ...): the library picks the threads. Only when the build
// found TBB (libtbb-dev), which libstdc++'s parallel algorithms run on.
bool par_available();
std::vector<TaskResult> run_par(std::span<const Task> tasks, Work work = count_primes);  // throws if !par_available()

// A child process of run_processes died or failed; what() says which, how, and the lost tasks.
struct ChildFailed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A model as the program runs it: its --model name, the name it prints, and how many threads
// or processes it uses (0: the library decides).
struct Model {
    std::string key;   // --model value: "serial", "event-loop", ...
    std::string name;  // the word in "Starting Serial computation of 20 tasks..."
    int workers;
    std::function<std::vector<TaskResult>(std::span<const Task>)> run;
};

// Every model, in the order the program runs them: serial, then processes while this process
// is still single-threaded, ..., par last. `workers` is for threads, processes and thread-pool.
std::vector<Model> models(int workers, int oversubscribed_threads);

}  // namespace cpu
