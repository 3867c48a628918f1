// Exercise 2.3: at most N requests in flight per host. (Do not edit this header; write your
// answer in host_limit.cpp.)
//
// A pool of 80 threads on a list where 70 URLs share one host sends that host 70 requests at
// once. Browsers allow about 6 connections per host; polite crawlers fewer. The pool should
// keep its threads busy with other hosts instead.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/fetch.hpp"

namespace exercise {

// "http://example.org:8080/a/b?c" -> "example.org:8080" (scheme and path dropped).
std::string host_of(const std::string& url);

class HostLimiter {
public:
    explicit HostLimiter(int per_host) : per_host_(per_host) {}
    // Wait until fewer than per_host requests to `host` are in flight, then count one more.
    void acquire(const std::string& host);
    // One request to `host` has finished: count one less and wake threads waiting for `host`.
    void release(const std::string& host);

private:
    const int per_host_;
    std::mutex mutex_;                   // guards in_flight_
    std::condition_variable released_;   // notified after every release
    std::map<std::string, int> in_flight_;  // host -> requests in flight now
};

// Holds one request's slot for as long as it lives (RAII): the slot is given back even when
// the fetch throws.
class HostPermit {
public:
    HostPermit(HostLimiter& limiter, std::string host) : limiter_(limiter), host_(std::move(host)) {
        limiter_.acquire(host_);
    }
    ~HostPermit() { limiter_.release(host_); }
    HostPermit(const HostPermit&) = delete;
    HostPermit& operator=(const HostPermit&) = delete;

private:
    HostLimiter& limiter_;
    std::string host_;
};

using FetchFn = std::function<tour::FetchResult(const std::string& url)>;

// A pool of `workers` threads (an atomic index, like threads.cpp) in which each fetch holds a
// HostPermit. One result per URL, in input order.
std::vector<tour::FetchResult> download_capped(const std::vector<std::string>& urls, int workers, int per_host,
                                               const FetchFn& fetch);

}  // namespace exercise
