// Exercise 2.2: a job queue guarded by a mutex, instead of the atomic counter of threads.cpp.
// (Do not edit this header; write your answer in job_queue.cpp.)
//
// An atomic counter can hand out the indices 0..N-1 of a list that is complete before the
// threads start. A queue can do more: jobs can arrive while the workers run (a crawler finds
// new links), and idle workers sleep until there is work or the queue is closed. It is the
// shape of Python's queue.Queue and of ThreadPoolExecutor's own work queue.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/fetch.hpp"

namespace exercise {

class JobQueue {
public:
    // Add a job at the back and wake one worker waiting in pop().
    void push(std::size_t job);
    // No more jobs will come: wake every waiting worker. Jobs already queued are still handed out.
    void close();
    // Take the job at the front. While the queue is empty and open, wait (sleeping, not
    // spinning). Returns std::nullopt once the queue is closed and empty: the worker's cue to end.
    std::optional<std::size_t> pop();

private:
    std::mutex mutex_;                  // guards jobs_ and closed_: touch them only while holding it
    std::condition_variable changed_;   // notified after a push or a close
    std::deque<std::size_t> jobs_;
    bool closed_ = false;
};

using FetchFn = std::function<tour::FetchResult(const std::string& url)>;

// threads::download_all's pool fed by a JobQueue: the workers start first and wait, then this
// thread pushes every URL's index and closes the queue. One result per URL, in input order.
std::vector<tour::FetchResult> download_with_queue(const std::vector<std::string>& urls, int workers,
                                                   const FetchFn& fetch);

}  // namespace exercise
