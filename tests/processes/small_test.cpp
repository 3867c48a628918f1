// Chapter 3's first listing, processes::small::download_all (03_processes/small.cpp), against the
// simulator: every URL with the simulator's exact byte count, one request in flight per worker,
// a failing URL reported as failed, and every child reaped. Workers that die are in
// small_fake_session_test.cpp.
//
// These cases fork. ctest runs each case in a fresh process, which has one thread when it forks
// (SiteSimulator uses posix_spawn).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <unistd.h>

#include "simulator/sitesim_process.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"
#include "small.hpp"

TEST_CASE("the small version: 1, 2 and 8 workers fetch every URL with the simulator's bytes") {
    tour_test::ensure_curl_global();
    // Pages take 60 to 180 ms: long enough for every worker's first request to overlap.
    const sitesim::SiteParams params{5, 120};
    tour::SiteSimulator sim(params.seed, params.mean_latency_ms);
    for (const std::size_t workers : {1u, 2u, 8u}) {
        CAPTURE(workers);
        const auto urls = sim.urls(16);
        sim.reset_stats();
        const auto results = processes::small::download_all(urls, workers);
        REQUIRE(results.size() == urls.size());
        for (std::size_t i = 0; i < urls.size(); ++i) {
            CAPTURE(urls[i]);
            CHECK(results[i].url == urls[i]);
            CHECK_MESSAGE(results[i].ok(), results[i].error);
            CHECK(results[i].bytes == sitesim::page_spec(params, tour_test::path_of(urls[i])).bytes);
        }
        const auto stats = sim.stats();
        CHECK(stats["requests"] == 16);
        CHECK(stats["peak_in_flight"] == static_cast<long long>(workers));  // one request per process
        CHECK(stats["connections_accepted"] == static_cast<long long>(workers));  // a session each
        CHECK(tour_test::children_of(::getpid()).size() == 1);  // every worker reaped: only sitesim is left
    }
}

TEST_CASE("the small version reports a URL that failed in its worker, and fetches the rest") {
    tour_test::ensure_curl_global();
    const sitesim::SiteParams params{2, 4};
    tour::SiteSimulator sim(params.seed, params.mean_latency_ms);
    auto urls = sim.urls(9);
    urls[4] += "?status=500";
    const auto results = processes::small::download_all(urls, 3);
    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(urls[i]);
        CHECK(results[i].url == urls[i]);
        if (i == 4) {
            CHECK(results[i].error == "failed in its worker");
        } else {
            CHECK_MESSAGE(results[i].ok(), results[i].error);
            CHECK(results[i].bytes == sitesim::page_spec(params, tour_test::path_of(urls[i])).bytes);
        }
    }
    CHECK(tour_test::children_of(::getpid()).size() == 1);
}
