// Chapter 3's stop: the program against stop_check's simulator (40 pages that take
// 2 s, 8 workers), every check by the server's counters, the exit status and --json; then what
// only processes have: worker PIDs that must be gone, a worker that does not answer the word
// (stopped with SIGSTOP, or a session that never looks at the stop) and is killed after the
// grace period, its URL cancelled, never lost.
//
// The cases that fork in this process (the fake sessions) run each in a process of their own
// (ctest), single-threaded when they fork.
#include <doctest/doctest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_session.hpp"
#include "processes.hpp"
#include "program_workers.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"
#include "simulator/sitesim_process.hpp"
#include "stop_check.hpp"

using namespace std::chrono_literals;
using tour_test::build_path;
using tour_test::contains;
using tour_test::TempFile;

namespace {

const tour_test::StopTarget target{build_path("03_processes/03_processes"), {"--workers", "8"}, 8};

double seconds_since(std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}

bool gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

// Until the server has `count` requests in flight (30 s at most).
bool wait_for_in_flight(const tour::SiteSimulator& sim, int count) {
    for (int tries = 0; tries < 3000; ++tries) {
        if (sim.stats()["in_flight"].get<int>() >= count) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

std::string url_list(const tour::SiteSimulator& sim, std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) text += sim.base_url() + sitesim::site_path(i) + "?delay_ms=2000\n";
    return text;
}

// No child of this process is left, not even a zombie (waitpid would find it).
void check_no_child_left() {
    int status = 0;
    CHECK(::waitpid(-1, &status, WNOHANG) == -1);
    CHECK(errno == ECHILD);
}

std::vector<std::string> fake_urls(std::size_t count, const std::string& url) { return std::vector<std::string>(count, url); }

}  // namespace

TEST_CASE("--deadline 1 with 8 workers on 2 s pages: exit 1 in time, all 40 cancelled in --json, the server quiet after") {
    tour_test::check_deadline_stop(target);
}

TEST_CASE("SIGINT to the process group at 1 s (a terminal's Ctrl-C reaches the workers too): the partial report, exit 130") {
    tour_test::check_signal_stop(target, SIGINT, true);
}

TEST_CASE("SIGINT to the parent's PID alone at 1 s: the parent tells the workers, exit 130") {
    tour_test::check_signal_stop(target, SIGINT, false);
}

TEST_CASE("SIGTERM at 1 s: the same graceful stop, exit 143") { tour_test::check_signal_stop(target, SIGTERM, false); }

TEST_CASE("a second SIGINT during the stop ends the program at once, the server quiet after") {
    tour_test::check_second_signal(target);
}

TEST_CASE("--fail-fast with a reset URL first: exit 1 in time, the other 39 cancelled") { tour_test::check_fail_fast(target); }

TEST_CASE("--deadline while every transfer is mid-body: each aborted with its bytes so far, cancelled") {
    tour_test::check_mid_body_stop(target);
}

// Orphans come to this process, a child subreaper (as in tests/hardening), so a worker whose
// parent died is reaped here and its PID checked, not left a zombie of whatever init is.
bool reaped(pid_t pid) {
    ::waitpid(pid, nullptr, WNOHANG);
    return gone(pid);
}

TEST_CASE("Ctrl-C to the group, and a second one during the stop: no worker process is left either time (checked by PID)") {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    for (const bool twice : {false, true}) {
        CAPTURE(twice);
        tour::SiteSimulator sim(1, 0);
        const TempFile list(url_list(sim, 40));
        std::vector<pid_t> workers;
        const auto interrupt = [&](pid_t program) {
            workers = tour_test::wait_for_workers(program, 8);
            if (workers.empty() || !wait_for_in_flight(sim, 8)) return;
            // For the second Ctrl-C to find the stop under way, one worker cannot hear the
            // word: the stop waits its 2 s grace period for it.
            if (twice) ::kill(workers[0], SIGSTOP);
            ::kill(-program, SIGINT);  // as a terminal's Ctrl-C: the parent and all 8 workers
            if (!twice) return;
            // Only once the parent has read the first: a second sent while the first is pending
            // merges with it. (The stopped worker makes the stop last its 2 s grace period.)
            tour_test::poll_until([&] { return !tour_test::signal_pending(program, SIGINT); },
                                  std::chrono::steady_clock::now() + 10s);
            ::kill(-program, SIGINT);
        };
        const auto run = tour_test::run_program(target.program, {"--workers", "8", "--urls", list.path().string()}, 60s,
                                                interrupt, true);
        CAPTURE(run.err);
        REQUIRE(workers.size() == 8);
        CHECK_FALSE(run.timed_out);
        CHECK(run.signal == SIGINT);  // by the second at once, or by the first after its report
        CHECK(contains(run.out, " cancelled, ") == !twice);  // the report of the graceful stop
        // The program reaped its workers; killed by the second Ctrl-C, it took them with it
        // (die_with_parent), the stopped one too. None may be left.
        for (int tries = 0; tries < 500; ++tries) {
            bool all_gone = true;
            for (const pid_t w : workers) all_gone = reaped(w) && all_gone;
            if (all_gone) break;
            std::this_thread::sleep_for(10ms);
        }
        for (const pid_t w : workers) {
            CAPTURE(w);
            CHECK(reaped(w));
        }
        CHECK(sim.stats()["requests"] == 8);  // the 8 first requests, and nothing started after the stop
    }
}

TEST_CASE("a worker stopped with SIGSTOP cannot hear the word: killed after the 2 s grace period, its URL cancelled, exit 130") {
    tour::SiteSimulator sim(1, 0);
    const TempFile list(url_list(sim, 40));
    const TempFile json("", ".json");
    pid_t stopped = 0;
    std::chrono::steady_clock::time_point sent{};
    const auto stop_one_then_interrupt = [&](pid_t program) {
        const auto workers = tour_test::wait_for_workers(program, 8);
        if (workers.empty() || !wait_for_in_flight(sim, 8)) return;
        stopped = workers[3];
        ::kill(stopped, SIGSTOP);  // holds a URL (every worker is dealt one at its fork)
        sent = std::chrono::steady_clock::now();
        ::kill(program, SIGINT);
    };
    const auto run = tour_test::run_program(
        target.program, {"--workers", "8", "--urls", list.path().string(), "--json", json.path().string()}, 60s,
        stop_one_then_interrupt);
    const double seconds = seconds_since(sent);
    CAPTURE(run.err);
    REQUIRE(stopped != 0);
    CHECK_FALSE(run.timed_out);
    CHECK(run.signal == SIGINT);  // after the graceful stop's report, by the signal (the shell's 130)
    CHECK(seconds >= 2.0);                             // the grace period was given...
    CHECK(seconds < 2.0 + 3.0 * tour_test::stop_slack());  // ... and not much more
    CHECK(gone(stopped));
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    REQUIRE(doc["results"].size() == 40);
    CHECK(doc["cancelled"] == 40);  // the stopped worker's URL too: cancelled, not lost
    for (const auto& r : doc["results"]) CHECK(r["error"] == "cancelled (Ctrl-C)");
    CHECK(contains(run.out, "0 ok, 0 failed, 40 cancelled"));
}

TEST_CASE("the model: workers told at the deadline abort at once (a session that looks at the stop)") {
    tour::RunStop stop;
    const auto urls = fake_urls(6, "fake://sleep/20000");
    tour::Progress progress(urls.size(), false);
    const auto start = std::chrono::steady_clock::now();
    const auto results = processes::download_all(urls, tour::FetchOptions{}, tour_test::fake_sessions(&stop), 3,
                                                  progress, {&stop, nullptr, 300ms});
    const double seconds = seconds_since(start);
    CHECK(seconds >= 0.3);
    CHECK(seconds < 0.3 + 1.5 * tour_test::stop_slack());  // well inside the 2 s grace: nobody was killed
    CHECK(stop.reason() == tour::StopReason::deadline);
    REQUIRE(results.size() == urls.size());
    for (const auto& r : results) {
        CHECK(r.cancelled == tour::StopReason::deadline);
        CHECK(r.error == "cancelled (deadline)");
    }
    CHECK(progress.done() == urls.size());
    check_no_child_left();
}

TEST_CASE("the model: a session that never looks at the stop is killed after the grace period, its URL cancelled") {
    tour::RunStop stop;
    const auto urls = fake_urls(6, "fake://sleep/20000");
    tour::Progress progress(urls.size(), false);
    const auto start = std::chrono::steady_clock::now();
    // fake_sessions() without the stop: fake://sleep sleeps its 20 s whatever is asked.
    const auto results = processes::download_all(urls, tour::FetchOptions{}, tour_test::fake_sessions(), 3, progress,
                                                  {&stop, nullptr, 300ms});
    const double seconds = seconds_since(start);
    CHECK(seconds >= 2.3);  // the deadline, then the whole grace period
    CHECK(seconds < 2.3 + 3.0 * tour_test::stop_slack());
    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(i);
        CHECK(results[i].cancelled == tour::StopReason::deadline);
        CHECK(results[i].error == "cancelled (deadline)");
        if (i < 3) CHECK(results[i].worker == static_cast<int>(i));  // held by worker i, which was killed
    }
    CHECK(progress.done() == urls.size());
    check_no_child_left();
}

TEST_CASE("the model: --fail-fast through Progress: the first failure stops the rest, which are cancelled") {
    tour::RunStop stop;
    auto urls = fake_urls(8, "fake://sleep/20000");
    urls[0] = "fake://throw/first";
    tour::Progress progress(urls.size(), false);
    progress.stop_on_failure(stop);
    const auto start = std::chrono::steady_clock::now();
    const auto results =
        processes::download_all(urls, tour::FetchOptions{}, tour_test::fake_sessions(&stop), 2, progress,
                                {&stop, nullptr, std::nullopt});
    CHECK(seconds_since(start) < 1.5 * tour_test::stop_slack());
    CHECK(stop.reason() == tour::StopReason::fail_fast);
    CHECK(results[0].failed());  // its worker died of the exception: lost, a failure, not a cancel
    CHECK(results[0].error.rfind("lost: worker ", 0) == 0);
    for (std::size_t i = 1; i < urls.size(); ++i) {
        CAPTURE(i);
        CHECK(results[i].error == "cancelled (fail-fast)");
    }
    check_no_child_left();
}
