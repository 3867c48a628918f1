// Exercise 2.2, already written: how the queue is used. Compiled with your job_queue.cpp (and
// with the worked answer in CI): nothing to change here.
#include "job_queue.hpp"

#include <thread>

namespace exercise {

std::vector<tour::FetchResult> download_with_queue(const std::vector<std::string>& urls, int workers,
                                                   const FetchFn& fetch) {
    JobQueue queue;
    std::vector<tour::FetchResult> results(urls.size());  // slot i: written only by whoever popped i
    {
        std::vector<std::jthread> pool;
        for (int w = 0; w < workers; ++w) {
            pool.emplace_back([&queue, &results, &urls, &fetch] {
                while (const std::optional<std::size_t> job = queue.pop()) {
                    results[*job] = fetch(urls[*job]);
                }
            });
        }
        for (std::size_t i = 0; i < urls.size(); ++i) queue.push(i);  // the workers are already waiting
        queue.close();
    }  // join: every worker has seen the queue closed and empty
    return results;
}

}  // namespace exercise
