// Exercise 2.3: write HostLimiter::acquire and release. Read host_limit.hpp for the contract.
// Check your work: ./tour.sh check ch02 host_limit
// Stuck? 02_threads/exercises/HINTS.md has the steps, one at a time.
#include "host_limit.hpp"

#include <atomic>
#include <thread>

namespace exercise {

void HostLimiter::acquire(const std::string& host) {
    // TODO: count one more request to `host` in flight, but never more than per_host_: while
    //       the host is full, sleep (do not spin) until a release lets this thread in.
    (void)host;
}

void HostLimiter::release(const std::string& host) {
    // TODO: count one less request to `host`, and let a thread waiting for that host go on.
    //       Mind that threads waiting for *other* hosts share the same condition variable.
    (void)host;
}

// Already written. Nothing to change below.
std::string host_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto begin = scheme == std::string::npos ? 0 : scheme + 3;
    const auto end = url.find_first_of("/?#", begin);
    return url.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

std::vector<tour::FetchResult> download_capped(const std::vector<std::string>& urls, int workers, int per_host,
                                               const FetchFn& fetch) {
    HostLimiter limiter(per_host);
    std::atomic<std::size_t> next{0};
    std::vector<tour::FetchResult> results(urls.size());
    {
        std::vector<std::jthread> pool;
        for (int w = 0; w < workers; ++w) {
            pool.emplace_back([&] {
                for (std::size_t i = next.fetch_add(1); i < urls.size(); i = next.fetch_add(1)) {
                    const HostPermit permit(limiter, host_of(urls[i]));  // may wait here
                    results[i] = fetch(urls[i]);
                }  // ~HostPermit: the slot is free again
            });
        }
    }
    return results;
}

}  // namespace exercise
