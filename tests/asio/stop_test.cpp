// Stopping in chapter 4: 04_asio (8 lanes, and a lane per URL) and 04_asio_threads stop on a
// deadline, SIGINT, SIGTERM and --fail-fast, checked from the simulator's counters
// (tests/support/stop_check.hpp); and the models' stop from inside: a stop requested by another
// thread, and CPU work that notices a stop between slices of its rounds.
#include <doctest/doctest.h>

#include <string>  // before Asio (see tests/asio/raw_http_test.cpp)

#include <csignal>
#include <thread>

#include "asio_support.hpp"
#include "common/stop.hpp"
#include "event_loop.hpp"
#include "run_program.hpp"
#include "simulator/sitesim_process.hpp"
#include "stop_check.hpp"
#include "threaded_loop.hpp"

using namespace std::chrono_literals;

namespace {
tour_test::StopTarget lanes8() { return {tour_test::build_path("04_asio/04_asio"), {"--workers", "8"}, 8}; }
tour_test::StopTarget uncapped() { return {tour_test::build_path("04_asio/04_asio"), {}, 40}; }
tour_test::StopTarget with_threads() {
    return {tour_test::build_path("04_asio/04_asio_threads"), {"--workers", "2"}, 40};  // the network: all at once
}
}  // namespace

TEST_CASE("04_asio 8 lanes: --deadline 1 cancels the rest, exit 1, every URL accounted for") { tour_test::check_deadline_stop(lanes8()); }
TEST_CASE("04_asio 8 lanes: SIGINT to the pid: partial report, --json, exit 130") { tour_test::check_signal_stop(lanes8(), SIGINT, false); }
TEST_CASE("04_asio 8 lanes: Ctrl-C (SIGINT to the process group): the same") { tour_test::check_signal_stop(lanes8(), SIGINT, true); }
TEST_CASE("04_asio 8 lanes: SIGTERM: the same, exit 143") { tour_test::check_signal_stop(lanes8(), SIGTERM, false); }
TEST_CASE("04_asio 8 lanes: a second stop signal ends the program at once") { tour_test::check_second_signal(lanes8()); }
TEST_CASE("04_asio 8 lanes: --fail-fast with a reset URL first stops the run") { tour_test::check_fail_fast(lanes8()); }
TEST_CASE("04_asio 8 lanes: a deadline cancels transfers mid-body") { tour_test::check_mid_body_stop(lanes8()); }

TEST_CASE("04_asio uncapped: --deadline 1") { tour_test::check_deadline_stop(uncapped()); }
TEST_CASE("04_asio uncapped: Ctrl-C") { tour_test::check_signal_stop(uncapped(), SIGINT, true); }
TEST_CASE("04_asio uncapped: a second stop signal ends the program at once") { tour_test::check_second_signal(uncapped()); }
TEST_CASE("04_asio uncapped: --fail-fast") { tour_test::check_fail_fast(uncapped()); }
TEST_CASE("04_asio uncapped: a deadline cancels transfers mid-body") { tour_test::check_mid_body_stop(uncapped()); }

TEST_CASE("04_asio_threads: --deadline 1") { tour_test::check_deadline_stop(with_threads()); }
TEST_CASE("04_asio_threads: SIGINT to the pid") { tour_test::check_signal_stop(with_threads(), SIGINT, false); }
TEST_CASE("04_asio_threads: SIGTERM") { tour_test::check_signal_stop(with_threads(), SIGTERM, false); }
TEST_CASE("04_asio_threads: a second stop signal ends the program at once") { tour_test::check_second_signal(with_threads()); }
TEST_CASE("04_asio_threads: --fail-fast") { tour_test::check_fail_fast(with_threads()); }

TEST_CASE("download_all: a stop requested by another thread cancels the loop's lanes, and the loop ends by itself") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(21, 0));
    std::vector<std::string> urls = sim.urls(30);
    for (auto& url : urls) url += "?delay_ms=3000";
    tour::Progress progress(urls.size(), false);
    tour::RunStop stop;
    std::jthread other([&stop] {
        std::this_thread::sleep_for(500ms);
        stop.request(tour::StopReason::fail_fast);  // RunStop is thread-safe; the emits are posted to the loop
    });
    const auto started = std::chrono::steady_clock::now();
    const auto results = event_loop::download_all(urls, tour::FetchOptions{}, 4, stop, std::nullopt, progress);
    CHECK(std::chrono::steady_clock::now() - started < 2500ms);  // not the 3 s pages
    REQUIRE(results.size() == urls.size());
    CHECK(progress.done() == urls.size());  // cancelled ones too
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(i);
        CHECK(results[i].url == urls[i]);
        CHECK(results[i].cancelled == tour::StopReason::fail_fast);
        CHECK(results[i].error == tour::cancelled_text(tour::StopReason::fail_fast));
    }
    CHECK(sim.stats()["requests"] == 4);  // the 4 lanes' first URLs; none started after the stop
}

TEST_CASE("download_and_process: CPU work that would never end notices the stop between slices") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(22, 5));
    const auto urls = sim.urls(6);
    tour::Progress progress(urls.size(), false);
    tour::RunStop stop;
    const auto started = std::chrono::steady_clock::now();
    // 10^15 rounds a page: days of CPU. The pages arrive in a few ms, then the deadline stops the work.
    const auto outcome = threaded_loop::download_and_process(urls, tour::FetchOptions{}, 2, 1'000'000'000'000'000ull,
                                                             stop, 700ms, progress);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(stop.reason() == tour::StopReason::deadline);
    REQUIRE(outcome.results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) asio_test::check_page(outcome.results[i], {22, 5}, sitesim::site_path(i));
    CHECK(outcome.finish_order.empty());  // no page's work finished...
    CHECK(outcome.work_stopped == urls.size());  // ...and every page's is accounted for as stopped
}
