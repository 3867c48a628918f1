// The small serial model that docs/01-serial.md shows first, against the simulator: every URL
// with the simulator's exact bytes and content, one request at a time over one connection.
#include <doctest/doctest.h>

#include "simulator/sitesim_process.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"
#include "small.hpp"

TEST_CASE("the small serial model: every URL, exact bytes, one at a time, one connection") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(5, 4);
    const auto urls = sim.urls(12);
    const auto results = serial::small::download_all(urls);

    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(urls[i]);
        CHECK(results[i].url == urls[i]);
        REQUIRE_MESSAGE(results[i].ok(), results[i].error);
        const std::string path = tour_test::path_of(urls[i]);
        const auto spec = sitesim::page_spec({5, 4}, path);
        CHECK(results[i].bytes == spec.bytes);
        CHECK(results[i].body_hash == tour_test::expected_hash(path, spec.bytes));
    }
    const auto stats = sim.stats();
    CHECK(stats["requests"] == 12);
    CHECK(stats["peak_in_flight"] == 1);
    CHECK(stats["connections_accepted"] == 1);
}
