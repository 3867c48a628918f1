// Exercise 1.1: retry with back-off. Read retry.hpp for the contract, then replace the TODOs.
// Check your work: ./tour.sh check ch01 retry
// One hint at a time: ./tour.sh hint ch01 retry
#include "retry.hpp"

namespace exercise {

bool is_transient(const tour::FetchResult& result) {
    // TODO: is another attempt worth it? Only for failures that can go away (see retry.hpp).
    (void)result;
    return false;
}

tour::FetchResult fetch_with_retry(const std::string& url, const RetryPolicy& policy, const FetchFn& fetch,
                                   const SleepFn& sleep) {
    // TODO: retry transient failures, at most policy.max_attempts attempts in all, pausing
    //       with sleep() between them (never a real sleep here: the check counts the pauses).
    //       The pauses double; the error of a run that gave up says how many attempts it made.
    (void)policy;
    (void)sleep;
    return fetch(url);
}

}  // namespace exercise
