// Exercise 1.1, a worked answer.
#include "retry.hpp"

namespace exercise {

bool is_transient(const tour::FetchResult& result) {
    if (result.ok()) return false;
    const long status = result.http_status;
    return status == 0 || status == 429 || (status >= 500 && status <= 599);
}

tour::FetchResult fetch_with_retry(const std::string& url, const RetryPolicy& policy, const FetchFn& fetch,
                                   const SleepFn& sleep) {
    std::chrono::milliseconds delay = policy.first_delay;
    tour::FetchResult result = fetch(url);
    int attempts = 1;
    while (is_transient(result) && attempts < policy.max_attempts) {
        sleep(delay);
        delay *= 2;
        result = fetch(url);
        ++attempts;
    }
    if (!result.ok() && is_transient(result) && attempts > 1) {
        result.error = "after " + std::to_string(attempts) + " attempts: " + result.error;
    }
    return result;
}

}  // namespace exercise
