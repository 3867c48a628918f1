// Chapter 3's model against the simulator, in this process: exact bytes, the server-side peak
// (one request per worker process), failures per URL, and no child left behind. Workers that
// die are tested in fake_session_test.cpp.
//
// These cases fork. ctest runs each case in a fresh process, which has one thread when it
// forks: SiteSimulator uses posix_spawn and curl creates no thread for a numeric address.
#include <doctest/doctest.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <latch>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include <unistd.h>

#include "simulator/sitesim_process.hpp"
#include "processes.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"

using namespace std::chrono_literals;

namespace {

// Every process whose parent is this one, zombies included (a zombie keeps its /proc entry
// until it is reaped). After download_all only the simulator may be left.
std::set<pid_t> children_of_this_process() {
    std::set<pid_t> children;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        std::getline(in, stat);
        const auto paren = stat.rfind(')');  // the command name may contain spaces
        if (paren == std::string::npos) continue;
        char state = 0;
        long ppid = 0;
        if (std::sscanf(stat.c_str() + paren + 1, " %c %ld", &state, &ppid) == 2 && ppid == getpid()) {
            children.insert(static_cast<pid_t>(std::stol(name)));
        }
    }
    return children;
}

void check_no_worker_left(const tour::SiteSimulator& sim) {
    CHECK(children_of_this_process() == std::set<pid_t>{sim.pid()});
}

void check_fetched(const std::string& url, const tour::FetchResult& result, const sitesim::SiteParams& params) {
    CAPTURE(url);
    CHECK(result.url == url);
    REQUIRE_MESSAGE(result.ok(), result.error);
    const std::string path = tour_test::path_of(url);
    const auto spec = sitesim::page_spec(params, path);
    CHECK(result.http_status == 200);
    CHECK(result.bytes == spec.bytes);
    CHECK(result.body_hash == tour_test::expected_hash(path, spec.bytes));
}

std::set<int> workers_used(const std::vector<tour::FetchResult>& results) {
    std::set<int> ids;
    for (const auto& r : results) ids.insert(r.worker);
    return ids;
}

std::vector<std::string> delayed(std::vector<std::string> urls, int delay_ms) {
    for (auto& url : urls) url += "?delay_ms=" + std::to_string(delay_ms);
    return urls;
}

}  // namespace

// Each request is held open (delay_ms) long enough for every worker's first request to overlap
// with the others, even under ThreadSanitizer, where fork is much slower.
TEST_CASE("2, 8 and 80 workers: every URL with exact bytes, as many requests in flight as workers") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(1, 4);
    struct Case {
        int workers;
        int delay_ms;
    };
    for (const Case c : {Case{2, 20}, Case{8, 60}, Case{80, 1500}}) {
        CAPTURE(c.workers);
        const auto urls = delayed(sim.urls(80), c.delay_ms);
        sim.reset_stats();
        tour::Progress progress(urls.size(), false);
        const auto before = tour::Clock::now();
        const auto results = processes::download_all(urls, tour::FetchOptions{}, c.workers, progress);
        const auto after = tour::Clock::now();

        REQUIRE(results.size() == urls.size());
        for (std::size_t i = 0; i < urls.size(); ++i) {
            check_fetched(urls[i], results[i], {1, 4});
            // Times measured in a child are on the parent's clock (CLOCK_MONOTONIC is one clock
            // for the whole machine): they fall inside the parent's call.
            CHECK(before <= results[i].start);
            CHECK(results[i].start <= results[i].end);
            CHECK(results[i].end <= after);
        }
        CHECK(progress.done() == urls.size());
        const auto stats = sim.stats();
        CHECK(stats["requests"] == 80);
        CHECK(stats["peak_in_flight"] == c.workers);
        // A process each, a connection each: no more, no fewer.
        CHECK(stats["connections_accepted"] == c.workers);
        CHECK(workers_used(results).size() == static_cast<std::size_t>(c.workers));
        check_no_worker_left(sim);
    }
}

TEST_CASE("more workers than URLs: only as many processes as URLs") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(3, 4);
    const auto urls = delayed(sim.urls(5), 300);
    tour::Progress progress(urls.size(), false);
    const auto results = processes::download_all(urls, tour::FetchOptions{}, 64, progress);
    for (std::size_t i = 0; i < urls.size(); ++i) check_fetched(urls[i], results[i], {3, 4});
    CHECK(sim.stats()["peak_in_flight"] == 5);
    CHECK(workers_used(results).size() == 5);
    check_no_worker_left(sim);
}

TEST_CASE("failing URLs are reported per URL by the worker that tried them") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(2, 4);
    auto urls = sim.urls(12);
    urls[1] += "?fault=reset";
    urls[4] += "?status=500";
    urls[7] += "?fault=stall";
    urls[9] += "?fault=truncate";
    tour::FetchOptions options;
    options.total_timeout = 1500ms;  // bounds the stall
    tour::Progress progress(urls.size(), false);
    const auto results = processes::download_all(urls, options, 3, progress);
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(i);
        if (i == 1 || i == 4 || i == 7 || i == 9) {
            CHECK_FALSE(results[i].ok());
            CHECK(results[i].error.rfind("lost", 0) == std::string::npos);  // a failed fetch, not a dead worker
        } else {
            check_fetched(urls[i], results[i], {2, 4});
        }
    }
    CHECK(results[4].http_status == 500);
    CHECK(results[4].error == "HTTP status 500");
    CHECK(results[7].error.find("curl error 28") != std::string::npos);
    check_no_worker_left(sim);
}

TEST_CASE("an empty list forks nothing, and fewer than 1 worker is a programming error") {
    tour::Progress progress(0, false);
    CHECK(processes::download_all({}, tour::FetchOptions{}, 4, progress).empty());
    CHECK_THROWS_AS(processes::download_all({"http://127.0.0.1:1/"}, tour::FetchOptions{}, 0, progress), std::invalid_argument);
}

TEST_CASE("refuses to fork while another thread is alive") {
    std::latch release(1);
    std::jthread other([&] { release.wait(); });
    tour::Progress progress(1, false);
    CHECK_THROWS_AS(processes::download_all({"http://127.0.0.1:1/"}, tour::FetchOptions{}, 1, progress), std::logic_error);
    release.count_down();
}
