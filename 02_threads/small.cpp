// Chapter 2: the smallest complete thread pool, the shape of the Python demo's
//
//     def download_all_sites(sites):
//         with concurrent.futures.ThreadPoolExecutor(max_workers=10) as executor:
//             executor.map(download_site, sites)
//
// threads.cpp is the same pool with the pieces a real program adds, each explained there.
#include "small.hpp"

#include <atomic>
#include <cstddef>
#include <thread>

namespace threads::small {

// [docs:small]
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, int workers) {
    std::vector<tour::FetchResult> results(urls.size());  // one slot per URL, before any thread starts
    std::atomic<std::size_t> next{0};                     // the first index no thread has taken yet
    {
        std::vector<std::jthread> pool;
        for (int w = 0; w < workers; ++w) {
            pool.emplace_back([&] {
                tour::HttpSession session;  // this thread's own, like the demo's threading.local()
                for (std::size_t i = next++; i < urls.size(); i = next++) {
                    results[i] = session.get(urls[i]);  // slot i: written by this thread only
                }
            });
        }
    }  // leaving the block destroys the jthreads, and each one joins: every slot is written
    return results;
}
// [/docs:small]

}  // namespace threads::small
