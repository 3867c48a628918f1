// Exercise 1.2, a worked answer.
#include "slowest.hpp"

#include <algorithm>

namespace exercise {

std::vector<tour::FetchResult> slowest_sites(const std::vector<tour::FetchResult>& results, std::size_t n) {
    std::vector<tour::FetchResult> ok;
    std::copy_if(results.begin(), results.end(), std::back_inserter(ok), [](const auto& r) { return r.ok(); });
    std::sort(ok.begin(), ok.end(), [](const tour::FetchResult& a, const tour::FetchResult& b) {
        const auto da = a.end - a.start;
        const auto db = b.end - b.start;
        if (da != db) return da > db;
        return a.url < b.url;
    });
    if (ok.size() > n) ok.resize(n);
    return ok;
}

}  // namespace exercise
