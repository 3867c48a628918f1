// Chapter 4's threaded loop: the network on one thread, each page's CPU work on a pool of
// threads, the tally through a strand. Checks results, not times: every page fetched with the
// simulator's bytes, all in flight at the server at once, and a digest equal to the one a
// serial loop computes, whatever the number of CPU threads.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "asio_support.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"
#include "threaded_loop.hpp"

using tour_test::build_path;
using tour_test::contains;
using tour_test::run_program;

TEST_CASE("process_page: deterministic, and every round counts") {
    CHECK(threaded_loop::process_page(42, 0) == 42);
    CHECK(threaded_loop::process_page(42, 1) == tour::mix(42));
    CHECK(threaded_loop::process_page(42, 3) == tour::mix(tour::mix(tour::mix(42))));
    CHECK(threaded_loop::process_page(42, 1'000) != threaded_loop::process_page(42, 1'001));
}

TEST_CASE("every page fetched and processed once, all in flight at once, the same digest for 1, 2 and 5 threads") {
    tour_test::ensure_curl_global();
    // 400 ms mean latency (200-600 ms): lanes start a few per turn of the loop, and all 30 must have
    // started before the fastest page is back, also under a sanitizer on a busy machine.
    const auto config = asio_test::sim_config(5, 400);
    tour::SiteSimulator sim(config);
    constexpr std::size_t pages = 30;
    constexpr std::uint64_t rounds = 20'000;
    const auto urls = sim.urls(pages);

    std::uint64_t expected_digest = 0;  // computed serially, from the simulator's model
    for (std::size_t i = 0; i < pages; ++i) {
        const auto path = sitesim::site_path(i);
        const auto spec = sitesim::page_spec({config.seed, config.latency_ms}, path);
        expected_digest += threaded_loop::process_page(tour_test::expected_hash(path, spec.bytes), rounds);
    }

    for (int threads : {1, 2, 5}) {
        CAPTURE(threads);
        sim.reset_stats();
        tour::Progress progress(pages, false);
        tour::RunStop stop;
        const auto outcome = threaded_loop::download_and_process(urls, tour::FetchOptions{}, threads, rounds, stop, std::nullopt, progress);
        REQUIRE(outcome.results.size() == pages);
        for (std::size_t i = 0; i < pages; ++i) {
            CHECK(outcome.results[i].url == urls[i]);
            asio_test::check_page(outcome.results[i], {config.seed, config.latency_ms}, sitesim::site_path(i));
        }
        CHECK(outcome.digest == expected_digest);
        CHECK(std::set<std::size_t>(outcome.finish_order.begin(), outcome.finish_order.end()).size() == pages);
        CHECK(outcome.finish_order.size() == pages);
        CHECK(outcome.work_threads >= 1);
        CHECK(outcome.work_threads <= static_cast<std::size_t>(threads));
        CHECK(sim.stats()["peak_in_flight"] == pages);  // the network side is still one coroutine per URL
    }
}

TEST_CASE("a failed page is a result, and gets no CPU work") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(2, 5));
    std::vector<std::string> urls = sim.urls(3);
    urls.push_back(urls[0] + "?status=500");
    tour::Progress progress(urls.size(), false);
    tour::RunStop stop;
    const auto outcome = threaded_loop::download_and_process(urls, tour::FetchOptions{}, 2, 10, stop, std::nullopt, progress);
    REQUIRE(outcome.results.size() == 4);
    CHECK(outcome.results[3].http_status == 500);
    CHECK_FALSE(outcome.results[3].ok());
    CHECK(outcome.finish_order.size() == 3);
    CHECK(std::set<std::size_t>(outcome.finish_order.begin(), outcome.finish_order.end()) == std::set<std::size_t>{0, 1, 2});
}

TEST_CASE("04_asio_threads: the demo's lines and the work line, exit 0, and bad --work or --workers exit 2") {
    const auto program = build_path("04_asio/04_asio_threads");
    const auto run = run_program(program, {"--sites", "12", "--latency-ms", "5", "--workers", "3", "--work", "5"});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "Starting Event loop + CPU threads download of 12 sites...\n"));
    CHECK(contains(run.out, "  CPU work: 12 pages x 5,000 rounds on 3 threads ("));
    CHECK(contains(run.out, "12 ok, 0 failed, "));
    for (const auto& bad : std::vector<std::vector<std::string>>{{"--work", "-1"}, {"--work", "x"}, {"--workers", "0"}}) {
        CAPTURE(bad[0] + " " + bad[1]);
        const auto refused = run_program(program, bad);
        CHECK(refused.exit_code == 2);
        CHECK(contains(refused.err, bad[0]));
    }
}
