// Exercise 2.4, a worked answer.
#include "async_map.hpp"

#include <exception>
#include <future>

namespace exercise {

std::vector<tour::FetchResult> fetch_all(const std::vector<std::string>& urls, const FetchFn& fetch) {
    // Every task first: executor.submit for each URL. The futures are kept, so no destructor
    // waits yet; `fetch` and `urls` outlive every task, because the loop below waits for each.
    std::vector<std::future<tour::FetchResult>> futures;
    futures.reserve(urls.size());
    for (const std::string& url : urls) futures.push_back(std::async(std::launch::async, fetch, url));

    // Then the results, in input order: get() waits for its task, and rethrows what it threw.
    std::vector<tour::FetchResult> results(urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        try {
            results[i] = futures[i].get();
        } catch (const std::exception& e) {
            results[i].url = urls[i];
            results[i].error = std::string("exception: ") + e.what();
        }
    }
    return results;
}

}  // namespace exercise
