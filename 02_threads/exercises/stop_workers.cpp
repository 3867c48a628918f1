// Exercise 2.7: stop the pool when asked. Read stop_workers.hpp for the contract.
// Check your work: ./tour.sh check ch02 stop_workers     One hint at a time: ./tour.sh hint ch02 stop_workers
//
// Python stops a pool with a threading.Event that every worker looks at between jobs; C++20's
// std::stop_token is that flag, made to be passed around (std::jthread has one of its own).
#include "stop_workers.hpp"

#include <atomic>
#include <thread>

namespace exercise {

std::vector<tour::FetchResult> download_until_stopped(const std::vector<std::string>& urls, int workers,
                                                      const FetchFn& fetch, std::stop_token stop) {
    (void)stop;  // TODO: remove this line once `stop` is used
    std::atomic<std::size_t> next{0};
    std::vector<tour::FetchResult> results(urls.size());  // slot i: written only by whoever took i
    {
        std::vector<std::jthread> pool;
        for (int w = 0; w < workers; ++w) {
            pool.emplace_back([&] {
                // TODO: once a stop is requested, take no more URLs (a fetch in flight finishes).
                for (std::size_t i = next.fetch_add(1); i < urls.size(); i = next.fetch_add(1)) {
                    results[i] = fetch(urls[i]);
                }
            });
        }
    }  // join
    // TODO: every URL that no worker took is still reported: its url, and the error not_started.
    return results;
}

}  // namespace exercise
