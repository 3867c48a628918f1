// The small pool that docs/02-threads.md shows first, against the simulator: every URL with the
// simulator's exact bytes and content, and - from the server's side - exactly `workers` requests
// in flight at the peak, over one connection per thread.
#include <doctest/doctest.h>

#include <string>

#include "simulator/sitesim_process.hpp"
#include "check_pages.hpp"
#include "small.hpp"

TEST_CASE("the small pool: every URL, exact bytes, `workers` requests in flight, a connection each") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(6, 4);
    std::vector<std::string> urls = sim.urls(20);
    // Each request is held long enough that the five threads' first requests overlap even on a
    // loaded machine or under ThreadSanitizer, so the peak is exactly the pool's size.
    for (auto& url : urls) url += "?delay_ms=500";
    constexpr int workers = 5;
    const auto results = threads::small::download_all(urls, workers);

    tour_test::check_all_fetched(urls, results, {6, 4});
    const auto stats = sim.stats();
    CHECK(stats["requests"] == 20);
    CHECK(stats["peak_in_flight"] == workers);
    CHECK(stats["connections_accepted"] == workers);
}
