// Exercise 1.1: retry a failed fetch with exponential back-off. (Do not edit this header;
// write your answer in retry.cpp.)
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/fetch.hpp"

namespace exercise {

struct RetryPolicy {
    int max_attempts = 3;                        // attempts in all, the first one included
    std::chrono::milliseconds first_delay{100};  // wait before the 2nd attempt; doubles after each
};

// Is this failure worth another attempt? Yes when no HTTP response arrived at all
// (http_status 0: reset, timeout, refused), for 429 Too Many Requests and for 5xx server
// errors: those can go away. No for success and for other statuses (404 stays 404).
bool is_transient(const tour::FetchResult& result);

// The fetch and the sleep are parameters so the check can count calls and delays without
// a network or real waiting; in a program you pass session.get and std::this_thread::sleep_for.
using FetchFn = std::function<tour::FetchResult(const std::string& url)>;
using SleepFn = std::function<void(std::chrono::milliseconds)>;

// Fetch `url`; while the result is a transient failure and attempts are left, sleep
// (first_delay, then 2x, 4x, ...) and try again. Returns the first success, the first
// non-transient failure, or the last failure with its error prefixed "after N attempts: ".
tour::FetchResult fetch_with_retry(const std::string& url, const RetryPolicy& policy, const FetchFn& fetch,
                                   const SleepFn& sleep);

}  // namespace exercise
