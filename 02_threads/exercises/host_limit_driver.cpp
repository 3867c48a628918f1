// Exercise 2.3, already written: how the limiter is used. Compiled with your host_limit.cpp
// (and with the worked answer in CI): nothing to change here.
#include "host_limit.hpp"

#include <atomic>
#include <thread>

namespace exercise {

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
