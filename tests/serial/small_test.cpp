// The small serial model that docs/01-serial.md shows first, against the simulator: every URL
// with the simulator's exact bytes and content, one request at a time over one connection.
#include <doctest/doctest.h>

#include "simulator/sitesim_process.hpp"
#include "check_pages.hpp"
#include "small.hpp"

TEST_CASE("the small serial model: every URL, exact bytes, one at a time, one connection") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(5, 4);
    const auto urls = sim.urls(12);
    const auto results = serial::small::download_all(urls);

    tour_test::check_all_fetched(urls, results, {5, 4});
    const auto stats = sim.stats();
    CHECK(stats["requests"] == 12);
    CHECK(stats["peak_in_flight"] == 1);
    CHECK(stats["connections_accepted"] == 1);
}
