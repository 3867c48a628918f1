// The small pool that docs/02-threads.md shows first, against the simulator: every URL with the
// simulator's exact bytes and content, and - from the server's side - exactly `workers` requests
// in flight at the peak, over one connection per thread.
#include <doctest/doctest.h>

#include <string>

#include "simulator/sitesim_process.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"
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

    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(urls[i]);
        CHECK(results[i].url == urls[i]);  // slot i holds URL i: input order
        REQUIRE_MESSAGE(results[i].ok(), results[i].error);
        const std::string path = tour_test::path_of(urls[i]);
        const auto spec = sitesim::page_spec({6, 4}, path);
        CHECK(results[i].bytes == spec.bytes);
        CHECK(results[i].body_hash == tour_test::expected_hash(path, spec.bytes));
    }
    const auto stats = sim.stats();
    CHECK(stats["requests"] == 20);
    CHECK(stats["peak_in_flight"] == workers);
    CHECK(stats["connections_accepted"] == workers);
}
