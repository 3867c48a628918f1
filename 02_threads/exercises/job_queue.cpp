// Exercise 2.2: write push, close and pop. Read job_queue.hpp for the contract.
// Check your work: ./tour.sh check ch02 job_queue
// One hint at a time: ./tour.sh hint ch02 job_queue
#include "job_queue.hpp"

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

}  // namespace exercise
