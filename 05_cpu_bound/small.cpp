// Chapter 5's smallest complete model (small.hpp). The real threads model (cpu_models.cpp) hands
// the tasks out through a shared counter instead of fixed shares, so a fast thread takes more.
#include "small.hpp"

#include <thread>

namespace cpu::small {

// [docs:small]
std::vector<TaskResult> run_threads(std::span<const Task> tasks, std::size_t workers) {
    std::vector<TaskResult> results(tasks.size());  // one slot per task, sized before any thread starts
    {
        std::vector<std::jthread> threads;
        for (std::size_t w = 0; w < workers; ++w) {
            threads.emplace_back([&results, tasks, workers, w] {  // thread w: tasks w, w + workers, ...
                for (std::size_t i = w; i < tasks.size(); i += workers) results[i] = count_primes(tasks[i]);
            });
        }
    }  // each jthread joins as `threads` goes away: from here on, every slot is written and visible
    return results;
}
// [/docs:small]

}  // namespace cpu::small
