// Exercise 2.2, a worked answer.
#include "job_queue.hpp"

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

}  // namespace exercise
