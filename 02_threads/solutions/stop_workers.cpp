// Exercise 2.7, a worked answer: each worker asks the token before it takes the next URL, so
// a stop costs at most the fetches already in flight; what nobody took is reported after join().
#include "stop_workers.hpp"

#include <atomic>
#include <thread>

namespace exercise {

std::vector<tour::FetchResult> download_until_stopped(const std::vector<std::string>& urls, int workers,
                                                      const FetchFn& fetch, std::stop_token stop) {
    std::atomic<std::size_t> next{0};
    std::vector<tour::FetchResult> results(urls.size());
    std::vector<char> taken(urls.size(), 0);  // slot i: written only by whoever took i
    {
        std::vector<std::jthread> pool;
        for (int w = 0; w < workers; ++w) {
            pool.emplace_back([&] {
                // Ask before taking: a URL taken is a URL fetched, so none is left half-done.
                while (!stop.stop_requested()) {
                    const std::size_t i = next.fetch_add(1);
                    if (i >= urls.size()) break;
                    taken[i] = 1;
                    results[i] = fetch(urls[i]);
                }
            });
        }
    }  // join: every slot and flag the workers wrote is visible here
    for (std::size_t i = 0; i < urls.size(); ++i) {
        if (taken[i]) continue;
        results[i].url = urls[i];
        results[i].error = not_started;
    }
    return results;
}

}  // namespace exercise
