// Exercise 2.2, a worked answer.
#include "job_queue.hpp"

#include <thread>

namespace exercise {

void JobQueue::push(std::size_t job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(job);
    }
    changed_.notify_one();  // one new job: one worker is enough
}

void JobQueue::close() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    changed_.notify_all();  // every waiting worker must wake up and see it
}

std::optional<std::size_t> JobQueue::pop() {
    std::unique_lock lock(mutex_);
    // wait() releases the lock while sleeping and holds it again when the predicate is checked,
    // so jobs_ and closed_ are only ever read under the lock. The predicate also makes a
    // spurious wakeup harmless, and a job pushed before we got here is found without waiting.
    changed_.wait(lock, [this] { return !jobs_.empty() || closed_; });
    if (jobs_.empty()) return std::nullopt;  // closed and drained
    const std::size_t job = jobs_.front();
    jobs_.pop_front();
    return job;
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
