// common/stop.hpp: the run's stop (first reason wins, from any thread), the watcher's deadline
// and its clean end, libcurl's progress callback aborting a transfer, and what the report makes
// of a stopped run. The signals themselves are checked on the programs (tests/support/stop_check.hpp).
#include <doctest/doctest.h>

#include <atomic>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/fetch.hpp"
#include "common/report.hpp"
#include "common/stop.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"
#include "simulator/sitesim_process.hpp"

using namespace std::chrono_literals;

TEST_CASE("RunStop: the first reason wins, even when many threads ask at once") {
    tour::RunStop stop;
    CHECK_FALSE(stop.stop_requested());
    CHECK(stop.reason() == tour::StopReason::none);
    CHECK_FALSE(stop.request(tour::StopReason::none));  // "none" is no request
    CHECK_FALSE(stop.token().stop_requested());

    std::atomic<int> firsts{0};
    {
        std::vector<std::jthread> threads;
        for (int i = 0; i < 8; ++i) {
            threads.emplace_back([&stop, &firsts, i] {
                if (stop.request(i % 2 == 0 ? tour::StopReason::deadline : tour::StopReason::fail_fast)) ++firsts;
            });
        }
    }
    CHECK(firsts == 1);
    CHECK(stop.stop_requested());
    CHECK(stop.token().stop_requested());
    CHECK((stop.reason() == tour::StopReason::deadline || stop.reason() == tour::StopReason::fail_fast));
    const auto first = stop.reason();
    CHECK_FALSE(stop.request(tour::StopReason::interrupted));
    CHECK(stop.reason() == first);
}

TEST_CASE("the texts and exit statuses of each reason") {
    CHECK(tour::cancelled_text(tour::StopReason::deadline) == "cancelled (deadline)");
    CHECK(tour::cancelled_text(tour::StopReason::interrupted) == "cancelled (Ctrl-C)");
    CHECK(tour::cancelled_text(tour::StopReason::terminated) == "cancelled (SIGTERM)");
    CHECK(tour::cancelled_text(tour::StopReason::fail_fast) == "cancelled (fail-fast)");
    CHECK(tour::stop_reason_name(tour::StopReason::fail_fast) == "fail_fast");
    CHECK(tour::stop_exit_status(tour::StopReason::interrupted) == 130);
    CHECK(tour::stop_exit_status(tour::StopReason::terminated) == 143);
    CHECK(tour::stop_exit_status(tour::StopReason::deadline) == 0);
    const auto r = tour::cancelled("http://x/", tour::StopReason::deadline);
    CHECK(r.url == "http://x/");
    CHECK(r.was_cancelled());
    CHECK_FALSE(r.ok());
    CHECK_FALSE(r.failed());
    CHECK(r.error == "cancelled (deadline)");
}

TEST_CASE("StopWatcher: the deadline requests the stop, and the watcher ends cleanly either way") {
    tour::RunStop stop;
    const auto start = std::chrono::steady_clock::now();
    {
        const tour::StopWatcher watcher(stop, std::chrono::milliseconds(200));
        const auto give_up = start + 10s;
        while (!stop.stop_requested() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(5ms);
    }
    CHECK(stop.reason() == tour::StopReason::deadline);
    CHECK(std::chrono::steady_clock::now() - start >= 200ms);

    tour::RunStop untouched;
    const auto before = std::chrono::steady_clock::now();
    { const tour::StopWatcher watcher(untouched, std::nullopt); }  // no deadline: the destructor still ends it
    { const tour::StopWatcher watcher(untouched, std::chrono::hours(1)); }
    CHECK_FALSE(untouched.stop_requested());
    CHECK(std::chrono::steady_clock::now() - before < 5s);
}

TEST_CASE("a stop aborts a blocking transfer through the progress callback: cancelled, not a curl error") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(1, 0);
    for (const std::string query : {"?delay_ms=10000", "?fault=slowbody&bytes=100000&delay_ms=0"}) {
        CAPTURE(query);
        tour::RunStop stop;
        tour::HttpSession session(tour::FetchOptions{}, &stop);
        std::jthread stopper([&stop] {
            std::this_thread::sleep_for(300ms);
            stop.request(tour::StopReason::interrupted);
        });
        const auto start = std::chrono::steady_clock::now();
        const tour::FetchResult r = session.get(sim.base_url() + sitesim::site_path(0) + query);
        CHECK(std::chrono::steady_clock::now() - start < 5s);  // far less than the page would take
        CHECK(r.cancelled == tour::StopReason::interrupted);
        CHECK(r.error == "cancelled (Ctrl-C)");
        CHECK_FALSE(r.failed());
    }
    // Without a stop the same session type fetches normally (the callback is off).
    tour::HttpSession plain;
    CHECK(plain.get(sim.base_url() + sitesim::site_path(1)).ok());
}

TEST_CASE("a stopped run's report: counts apart, the stop on stderr, --json fields, exit 130/143/1") {
    tour::RunReport report{"Model", 2, {}, 1.0, {}};
    tour::FetchResult ok;
    ok.url = "http://a/";
    ok.bytes = 5;
    tour::FetchResult failed;
    failed.url = "http://b/";
    failed.error = "HTTP status 500";
    report.results = {ok, failed};
    for (int i = 0; i < 12; ++i) report.results.push_back(tour::cancelled("http://c/" + std::to_string(i), tour::StopReason::interrupted));
    report.results.back().bytes = 1200;  // cancelled mid-body
    report.results[1].bytes = 30;        // failed mid-body
    report.stop = tour::StopReason::interrupted;

    std::ostringstream out, err;
    tour::print_summary(out, err, report);
    // The bytes of pages that did not arrive whole are counted apart: they are no page.
    CHECK(out.str() == "1 ok, 1 failed, 12 cancelled, 5 bytes (and 1,230 of pages cut short)\n");
    CAPTURE(err.str());
    CHECK(tour_test::contains(err.str(), "Model: 1 URL failed:\n  http://b/: HTTP status 500\n"));
    CHECK(tour_test::contains(err.str(), "Model: stopped (Ctrl-C): 12 URLs cancelled:\n  http://c/0: cancelled (Ctrl-C)\n"));
    CHECK(tour_test::contains(err.str(), "  http://c/9: cancelled (Ctrl-C)\n  ... and 2 more cancelled\n"));
    CHECK_FALSE(tour_test::contains(err.str(), "http://c/10"));

    const auto doc = tour::to_json(report);
    CHECK(doc["ok"] == 1);
    CHECK(doc["failed"] == 1);
    CHECK(doc["cancelled"] == 12);
    CHECK(doc["stop_reason"] == "interrupted");
    CHECK(doc["bytes"] == 5);
    CHECK(doc["bytes_cut_short"] == 1230);
    CHECK(doc["results"][0]["status"] == "ok");
    CHECK(doc["results"][1]["status"] == "failed");
    CHECK(doc["results"][2]["status"] == "cancelled");

    CHECK(tour::exit_status(report, report.results.size()) == 130);
    report.stop = tour::StopReason::terminated;
    CHECK(tour::exit_status(report, report.results.size()) == 143);
    report.stop = tour::StopReason::deadline;
    CHECK(tour::exit_status(report, report.results.size()) == 1);
    CHECK(tour::to_json(report)["stop_reason"] == "deadline");

    // Not stopped: the summary line and --json stay as they were, "stop_reason" is null.
    const tour::RunReport plain{"Model", 1, {}, 1.0, {ok}};
    std::ostringstream out2, err2;
    tour::print_summary(out2, err2, plain);
    CHECK(out2.str() == "1 ok, 0 failed, 5 bytes\n");
    CHECK(err2.str().empty());
    CHECK(tour::to_json(plain)["stop_reason"].is_null());
    CHECK(tour::exit_status(plain, 1) == 0);
}

TEST_CASE("Progress::stop_on_failure: the first failure (not a cancellation) requests fail_fast") {
    tour::RunStop stop;
    tour::Progress progress(3, false);
    progress.stop_on_failure(stop);
    progress.completed(tour::cancelled("http://a/", tour::StopReason::deadline));
    CHECK_FALSE(stop.stop_requested());  // a cancellation is not a failure
    tour::FetchResult ok;
    ok.url = "http://b/";
    progress.completed(ok);
    CHECK_FALSE(stop.stop_requested());
    tour::FetchResult failed;
    failed.url = "http://c/";
    failed.error = "curl error 7: refused";
    progress.completed(failed);
    CHECK(stop.reason() == tour::StopReason::fail_fast);
}
