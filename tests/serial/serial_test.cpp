// Chapter 1's model against the simulator: every URL, exact bytes, and - from the server's
// side - one request in flight at a time over one reused connection.
#include <doctest/doctest.h>

#include "simulator/sitesim_process.hpp"
#include "run_program.hpp"
#include "serial.hpp"
#include "simulator/site_model.hpp"

using namespace std::chrono_literals;

// The runs here are never stopped (stop_test.cpp stops them).
static const tour::RunStop never_stopped;

TEST_CASE("serial fetches all 80 URLs with exact bytes, one at a time, on one connection") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(1, 4);
    const auto urls = sim.urls(80);
    tour::Progress progress(urls.size(), false);
    const auto results = serial::download_all(urls, tour::FetchOptions{}, never_stopped, progress);

    REQUIRE(results.size() == urls.size());
    CHECK(progress.done() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(urls[i]);
        CHECK(results[i].url == urls[i]);  // input order
        REQUIRE_MESSAGE(results[i].ok(), results[i].error);
        const auto spec = sitesim::page_spec({1, 4}, sitesim::site_path(i));
        CHECK(results[i].bytes == spec.bytes);
        CHECK(results[i].body_hash == tour_test::expected_hash(sitesim::site_path(i), spec.bytes));
    }
    // One request finishes before the next starts: the intervals do not overlap.
    for (std::size_t i = 1; i < results.size(); ++i) CHECK(results[i].start >= results[i - 1].end);

    const auto stats = sim.stats();
    CHECK(stats["requests"] == 80);
    CHECK(stats["peak_in_flight"] == 1);
    CHECK(stats["connections_accepted"] == 1);
}

TEST_CASE("a failing URL does not disturb the others") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(2, 2);
    std::vector<std::string> urls = sim.urls(6);
    urls[2] += "?fault=reset";
    urls[4] += "?fault=truncate";
    tour::FetchOptions options;
    options.total_timeout = 3s;
    tour::Progress progress(urls.size(), false);
    const auto results = serial::download_all(urls, options, never_stopped, progress);
    REQUIRE(results.size() == 6);
    for (std::size_t i = 0; i < 6; ++i) {
        CAPTURE(i);
        CHECK(results[i].ok() == (i != 2 && i != 4));
    }
    CHECK(tour::exit_status(tour::RunReport{"Model", 1, {}, 0, results}, results.size()) == 1);
}
