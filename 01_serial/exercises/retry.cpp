// Exercise 1.1: retry with back-off. Read retry.hpp for the contract, then replace the TODOs.
// Check your work: ctest --preset exercises -R ch01_retry
#include "retry.hpp"

namespace exercise {

bool is_transient(const tour::FetchResult& result) {
    // TODO: true for a failure with no HTTP response (http_status 0), for 429 and for 5xx;
    //       false for a success and for every other status.
    (void)result;
    return false;
}

tour::FetchResult fetch_with_retry(const std::string& url, const RetryPolicy& policy, const FetchFn& fetch,
                                   const SleepFn& sleep) {
    // TODO: try up to policy.max_attempts times. Between attempts call sleep() with
    //       first_delay, then twice that, and so on. Stop early on success or on a failure
    //       that is not transient. When every attempt failed, prefix the last error with
    //       "after N attempts: ".
    (void)policy;
    (void)sleep;
    return fetch(url);
}

}  // namespace exercise
