// Chapter 2's model against the simulator: every URL with exact bytes for any pool size, and -
// from the server's side - exactly min(workers, URLs) requests in flight at the peak.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include <sys/resource.h>

#include "simulator/sitesim_process.hpp"
#include "check_pages.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"
#include "futures.hpp"
#include "threads.hpp"

using namespace std::chrono_literals;

// The runs here are never stopped (stop_test.cpp stops them).
static const tour::RunStop never_stopped;

namespace {

using tour_test::check_all_fetched;

std::set<int> workers_used(const std::vector<tour::FetchResult>& results) {
    std::set<int> ids;
    for (const auto& r : results) ids.insert(r.worker);
    return ids;
}

}  // namespace

// Each case holds every request open long enough (delay_ms) that all threads' first requests
// overlap, even under ThreadSanitizer on a loaded machine (starting 80 threads there once took
// over 400 ms): the server then sees exactly min(workers, URLs) at once.
TEST_CASE("every URL with exact bytes, the server sees min(workers, URLs) requests in flight") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(1, 4);
    struct Case {
        int workers;
        int delay_ms;
        std::size_t expected_peak;
    };
    for (const Case c : {Case{1, 0, 1}, Case{10, 100, 10}, Case{80, 1000, 80}, Case{0, 1000, 80}}) {
        CAPTURE(c.workers);
        std::vector<std::string> urls = sim.urls(80);
        for (auto& url : urls) url += "?delay_ms=" + std::to_string(c.delay_ms);
        sim.reset_stats();
        tour::Progress progress(urls.size(), false);
        const auto results = threads::download_all(urls, tour::FetchOptions{}, c.workers, never_stopped, progress);

        check_all_fetched(urls, results, {1, 4});
        CHECK(progress.done() == urls.size());
        const auto stats = sim.stats();
        CHECK(stats["requests"] == 80);
        CHECK(stats["peak_in_flight"] == c.expected_peak);
        // Each thread makes one connection and keeps it (its own session): no more, no fewer.
        CHECK(workers_used(results).size() == c.expected_peak);
        CHECK(stats["connections_accepted"] == c.expected_peak);
    }
}

TEST_CASE("more workers than URLs: only as many threads as URLs") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(3, 4);
    std::vector<std::string> urls = sim.urls(5);
    for (auto& url : urls) url += "?delay_ms=200";
    tour::Progress progress(urls.size(), false);
    const auto results = threads::download_all(urls, tour::FetchOptions{}, 64, never_stopped, progress);
    check_all_fetched(urls, results, {3, 4});
    CHECK(sim.stats()["peak_in_flight"] == 5);
    CHECK(workers_used(results).size() == 5);
}

TEST_CASE("an empty list is fine, and negative workers are a programming error") {
    tour::Progress progress(0, false);
    CHECK(threads::download_all({}, tour::FetchOptions{}, 10, never_stopped, progress).empty());
    CHECK(threads::download_all({}, tour::FetchOptions{}, 0, never_stopped, progress).empty());
    CHECK_THROWS_AS(threads::download_all({"http://127.0.0.1:1/"}, tour::FetchOptions{}, -1, never_stopped, progress),
                    std::invalid_argument);
}

TEST_CASE("a failing URL on one thread does not disturb the others") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(2, 20);
    std::vector<std::string> urls = sim.urls(24);
    const std::map<std::size_t, std::string> faults = {
        {1, "?fault=reset"},  {5, "?fault=truncate"},   {8, "?status=500"},
        {13, "?fault=stall"}, {17, "?fault=garbage"},   {22, "?fault=slowbody"},
    };
    for (const auto& [i, query] : faults) urls[i] += query;
    tour::FetchOptions options;
    options.total_timeout = 1500ms;  // bounds the stall and the slow body
    tour::Progress progress(urls.size(), false);
    const auto results = threads::download_all(urls, options, 4, never_stopped, progress);

    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(urls[i]);
        CHECK(results[i].url == urls[i]);
        if (faults.count(i) != 0) {
            CHECK_FALSE(results[i].ok());
            continue;
        }
        REQUIRE_MESSAGE(results[i].ok(), results[i].error);
        const auto spec = sitesim::page_spec({2, 20}, sitesim::site_path(i));
        CHECK(results[i].bytes == spec.bytes);
        CHECK(results[i].body_hash == tour_test::expected_hash(sitesim::site_path(i), spec.bytes));
    }
    CHECK(results[8].http_status == 500);
    CHECK(results[13].error.find("curl error 28") != std::string::npos);
    CHECK(tour::exit_status(tour::RunReport{"Threads", 4, {}, 0, results}, urls.size()) == 1);
}

// The futures model (--model futures): one std::async task per URL, a std::counting_semaphore
// letting `cap` of them fetch at once. The server's peak in flight is the semaphore's proof:
// never more than `cap` (0: no cap, every task at once), and the cap is used in full. Every task
// has its own session, so the server sees one connection per URL.
TEST_CASE("futures: every URL with exact bytes, the semaphore caps the server's requests in flight") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(1, 4);
    struct Case {
        int cap;
        int delay_ms;
        std::size_t expected_peak;
    };
    for (const Case c : {Case{1, 10, 1}, Case{5, 200, 5}, Case{0, 1000, 40}}) {
        CAPTURE(c.cap);
        std::vector<std::string> urls = sim.urls(40);
        for (auto& url : urls) url += "?delay_ms=" + std::to_string(c.delay_ms);
        sim.reset_stats();
        tour::Progress progress(urls.size(), false);
        const auto results = threads::download_with_futures(urls, tour::FetchOptions{}, c.cap, never_stopped, progress);

        check_all_fetched(urls, results, {1, 4});
        CHECK(progress.done() == urls.size());
        const auto stats = sim.stats();
        CHECK(stats["requests"] == 40);
        CHECK(stats["peak_in_flight"] == c.expected_peak);
        CHECK(stats["connections_accepted"] == 40);
    }
    tour::Progress progress(1, false);
    CHECK_THROWS_AS(threads::download_with_futures({"http://127.0.0.1:1/"}, tour::FetchOptions{}, -1, never_stopped, progress),
                    std::invalid_argument);
}
