// event_loop::small::download_all (04_asio/small.cpp), the chapter's first listing, against sitesim:
// every URL with the simulator's exact bytes, and every request in flight at the server at once.
#include <doctest/doctest.h>

#include "asio_support.hpp"
#include "small.hpp"

using asio_test::check_page;

TEST_CASE("the smallest event loop: every page right, all 40 requests in flight at the server at once") {
    tour_test::ensure_curl_global();
    // 300 ms mean latency (each page 150-450 ms): the 40 requests overlap at the server even on
    // a machine so busy that starting them all takes a good part of the fastest page.
    tour::SiteSimulator sim(asio_test::sim_config(5, 300));
    const auto urls = sim.urls(40);
    const auto results = event_loop::small::download_all(urls);

    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CHECK(results[i].url == urls[i]);  // input order
        check_page(results[i], {5, 300}, sitesim::site_path(i));
    }
    const auto stats = sim.stats();
    CHECK(stats["requests"] == 40);
    CHECK(stats["peak_in_flight"] == 40);  // one coroutine per URL, all suspended together
}

TEST_CASE("the smallest event loop: a failed page is a result, not an exception") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(5, 5));
    auto urls = sim.urls(3);
    urls.push_back(urls[0] + "?status=404");
    const auto results = event_loop::small::download_all(urls);
    REQUIRE(results.size() == 4);
    for (std::size_t i = 0; i < 3; ++i) check_page(results[i], {5, 5}, sitesim::site_path(i));
    CHECK_FALSE(results[3].ok());
    CHECK(results[3].http_status == 404);
}
