// Exercise 2.2: write push, close and pop. Read job_queue.hpp for the contract.
// Check your work: ctest --preset exercises -R ch02_job_queue
// (If the check hangs, some pop() is waiting for a notification that never comes.)
#include "job_queue.hpp"

#include <thread>

namespace exercise {

void JobQueue::push(std::size_t job) {
    // TODO: add `job` under the lock, then wake one waiting worker (notify_one). Notifying
    //       after the lock is released saves the woken thread from waiting for it at once.
    (void)job;
}

void JobQueue::close() {
    // TODO: set closed_ under the lock, then wake *every* waiting worker (notify_all).
}

std::optional<std::size_t> JobQueue::pop() {
    // TODO: take the lock with std::unique_lock and wait on changed_ until there is a job or
    //       the queue is closed. Use the wait overload that takes a predicate: a condition
    //       variable may wake up with nothing to do (a "spurious wakeup"), and a notification
    //       sent before you started waiting is not kept for you. Then hand out the front job,
    //       or std::nullopt when there is none (closed and empty).
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
