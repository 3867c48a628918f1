// Exercise 2.3: write HostLimiter::acquire and release. Read host_limit.hpp for the contract.
// Check your work: ctest --preset exercises -R ch02_host_limit
#include "host_limit.hpp"

#include <atomic>
#include <thread>

namespace exercise {

void HostLimiter::acquire(const std::string& host) {
    // TODO: under the lock, wait on released_ until in_flight_[host] < per_host_ (use the wait
    //       overload with a predicate), then increment it.
    (void)host;
}

void HostLimiter::release(const std::string& host) {
    // TODO: decrement in_flight_[host] under the lock, then wake the waiters. Why notify_all and
    //       not notify_one? (The one thread you wake may be waiting for a different host.)
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
