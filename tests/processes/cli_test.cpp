// The 03_processes program as a user runs it (a worker killed from outside included), and
// fork_cost's smoke run.
#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <thread>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "processes.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"

using tour_test::build_path;
using tour_test::contains;
using tour_test::expected_bytes;
using tour_test::run_program;
using tour_test::TempFile;

namespace {
const auto processes_program = build_path("03_processes/03_processes");

// Wait (30 s at most) for both workers of a two-worker run (children named 03_processes; the
// other child is sitesim), then send `sig` to the second. It already holds a URL: the parent
// deals one to every worker right after its fork. Returns its pid, or 0 if none appeared.
pid_t signal_second_worker(pid_t program, int sig) {
    for (int tries = 0; tries < 3000; ++tries) {
        std::vector<pid_t> workers;
        for (const auto& [pid, name] : tour_test::children_of(program)) {
            if (name == "03_processes") workers.push_back(pid);
        }
        if (workers.size() == 2) {
            ::kill(workers[1], sig);
            return workers[1];
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
}

}  // namespace

TEST_CASE("a run against the embedded simulator: the demo's lines, one worker per core by default, exit 0") {
    TempFile json("", ".json");
    const auto run = run_program(processes_program, {"--sites", "24", "--latency-ms", "5", "--json", json.path().string()});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "Starting Processes download of 24 sites...\n"));
    CHECK(contains(run.out, "Processes download of 24 sites - Duration: "));
    CHECK(contains(run.out, "24 ok, 0 failed, "));
    // Printed once: the parent flushes stdout before it forks, and workers leave with _exit().
    CHECK(run.out.find("Starting") == run.out.rfind("Starting"));

    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    CHECK(doc["model"] == "Processes");
    CHECK(doc["workers"] == processes::default_workers());
    CHECK(doc["ok"] == 24);
    CHECK(doc["bytes"] == expected_bytes(1, 5, 24));
    std::set<int> workers;
    for (const auto& r : doc["results"]) workers.insert(r["worker"].get<int>());
    CHECK(workers.size() <= static_cast<std::size_t>(processes::default_workers()));
}

TEST_CASE("a worker killed from outside (as the OOM killer would): its URL is listed as lost, the rest fetched, exit 1") {
    TempFile json("", ".json");
    std::atomic<pid_t> killed{0};
    // Each page takes at least 300 ms.
    const auto kill_one_worker = [&killed](pid_t program) { killed = signal_second_worker(program, SIGKILL); };
    const auto run = run_program(processes_program,
                                 {"--sites", "8", "--latency-ms", "600", "--workers", "2", "--json", json.path().string()},
                                 std::chrono::seconds(60), kill_one_worker);
    CAPTURE(run.err);
    REQUIRE(killed != 0);
    CHECK_FALSE(run.timed_out);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.out, "7 ok, 1 failed, "));
    CHECK(contains(run.err, " killed by SIGKILL\n"));

    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    std::size_t lost = 0;
    for (const auto& r : doc["results"]) {
        if (r["ok"].get<bool>()) {
            const std::string path = tour_test::path_of(r["url"].get<std::string>());
            CHECK(r["bytes"] == sitesim::page_spec({1, 600}, path).bytes);
        } else {
            ++lost;
            const std::string worker = std::to_string(r["worker"].get<int>());
            CHECK(r["error"] == "lost: worker " + worker + " killed by SIGKILL");
        }
    }
    CHECK(lost == 1);
}

TEST_CASE("a stopped worker (kill -STOP) misses its deadline: killed, its URL lost with the reason, the rest fetched") {
    TempFile json("", ".json");
    std::atomic<pid_t> stopped{0};
    // Stopped while it holds a URL (each page takes at least 200 ms), the worker never answers
    // and never exits; the parent must not wait for it for ever.
    const auto stop_one_worker = [&stopped](pid_t program) { stopped = signal_second_worker(program, SIGSTOP); };
    const auto run = run_program(processes_program,
                                 {"--sites", "8", "--latency-ms", "400", "--workers", "2", "--timeout", "2", "--json",
                                  json.path().string()},
                                 std::chrono::seconds(60), stop_one_worker);
    CAPTURE(run.err);
    REQUIRE(stopped != 0);
    CHECK_FALSE(run.timed_out);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.out, "7 ok, 1 failed, "));
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    std::size_t lost = 0;
    for (const auto& r : doc["results"]) {
        if (r["ok"].get<bool>()) continue;
        ++lost;
        CHECK(r["error"] == "lost: worker " + std::to_string(r["worker"].get<int>()) +
                                " missed its deadline (2 s + 5 s) and was killed");
    }
    CHECK(lost == 1);
    CHECK(::kill(stopped, 0) != 0);  // killed and reaped: no stopped process left behind
}

TEST_CASE("bad input: --workers 0") {
    const auto zero = run_program(processes_program, {"--workers", "0"});
    CHECK(zero.exit_code == 2);
    CHECK(contains(zero.err, "--workers"));
}

TEST_CASE("fork_cost runs: a smoke test, the figures are for the chapter") {
    const auto run = run_program(build_path("03_processes/fork_cost"), {"3", "--parent-mib", "4", "--touch-mib", "1"});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "fork + _exit + waitpid, 3 children"));
    CHECK(contains(run.out, "Private_Dirty"));
}
