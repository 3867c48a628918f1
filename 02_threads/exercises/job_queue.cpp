// Exercise 2.2: write push, close and pop. Read job_queue.hpp for the contract.
// Check your work: ./tour.sh check ch02 job_queue
// Stuck? 02_threads/exercises/HINTS.md has the steps, one at a time.
#include "job_queue.hpp"

#include <thread>

namespace exercise {

void JobQueue::push(std::size_t job) {
    // TODO: queue `job`; a worker sleeping in pop() must get to it.
    (void)job;
}

void JobQueue::close() {
    // TODO: no more jobs will come; no worker may stay asleep in pop() after this.
}

std::optional<std::size_t> JobQueue::pop() {
    // TODO: the front job; std::nullopt once the queue is closed and empty. While it is empty
    //       and open, sleep (do not spin) until a push or a close. Touch jobs_ and closed_
    //       only while holding mutex_, and stay right when a wait returns for no reason.
    return std::nullopt;
}

// Already written: how the queue is used. Nothing to change below.
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
