// The 03_processes program as a user runs it (a worker killed from outside included), and
// fork_cost's smoke run.
#include <doctest/doctest.h>

#include <atomic>
#include <functional>
#include <csignal>
#include <thread>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "processes.hpp"
#include "program_workers.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"

using tour_test::build_path;
using tour_test::contains;
using tour_test::expected_bytes;
using tour_test::run_program;
using tour_test::TempFile;
using tour_test::wait_for_workers;
using namespace std::chrono_literals;

namespace {
const auto processes_program = build_path("03_processes/03_processes");

// Wait for both workers of a two-worker run, then send `sig` to the second. It already holds a
// URL: the parent deals one to every worker right after its fork. Returns its pid, or 0 if
// none appeared.
pid_t signal_second_worker(pid_t program, int sig) {
    const auto workers = wait_for_workers(program, 2);
    if (workers.size() != 2) return 0;
    ::kill(workers[1], sig);
    return workers[1];
}

// Is `pid` stopped (state T in /proc/PID/stat)?
bool is_stopped(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    const auto paren = stat.rfind(')');
    return paren != std::string::npos && stat.find(" T ", paren) == paren + 1;
}

// Run 20 slow-ish pages with 4 workers and --timeout 1 (each worker's deadline: 1 s + the 5 s
// grace period), and once all 4 workers run, stop `which(program)` with SIGSTOP for 7 s, longer
// than any deadline, then continue them (SIGCONT). Returns the run; `paused` says whether the
// parent really was stopped while the run was under way.
tour_test::ProgramRun run_paused(const std::function<std::vector<pid_t>(pid_t)>& which, const std::string& json,
                                 bool& paused) {
    std::atomic<bool> was_paused{false};
    const auto pause = [&](pid_t program) {
        if (wait_for_workers(program, 4).size() != 4) return;
        const std::vector<pid_t> stopped = which(program);
        for (const pid_t p : stopped) ::kill(p, SIGSTOP);
        for (int tries = 0; tries < 500 && !is_stopped(program); ++tries) std::this_thread::sleep_for(10ms);
        was_paused = is_stopped(program);
        std::this_thread::sleep_for(7s);
        for (const pid_t p : stopped) ::kill(p, SIGCONT);
    };
    auto run = run_program(processes_program,
                           {"--sites", "20", "--latency-ms", "300", "--workers", "4", "--timeout", "1", "--json", json},
                           std::chrono::seconds(90), pause);
    paused = was_paused;
    return run;
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

// A stopped parent (kill -STOP, or Ctrl-Z) used to wake with every deadline
// past and kill all its workers before reading the answers already waiting in their pipes:
// 7-10 of 20 ok, "missed its deadline and was killed", "every worker process died".
TEST_CASE("a parent stopped (kill -STOP to its PID) for longer than the deadlines, then continued: no worker killed, all 20 fetched") {
    TempFile json("", ".json");
    bool paused = false;
    const auto run = run_paused([](pid_t program) { return std::vector<pid_t>{program}; }, json.path().string(), paused);
    CAPTURE(run.err);
    REQUIRE(paused);
    CHECK_FALSE(run.timed_out);
    CHECK_FALSE(contains(run.err, "missed its deadline"));
    CHECK_FALSE(contains(run.err, "lost: "));
    CHECK(contains(run.out, "20 ok, 0 failed, "));
    CHECK(run.exit_code == 0);
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    CHECK(doc["ok"] == 20);
    CHECK(doc["bytes"] == expected_bytes(1, 300, 20));
}

TEST_CASE("the whole family stopped (parent, workers and simulator, as Ctrl-Z stops the foreground group), then continued: no worker killed, nothing lost") {
    TempFile json("", ".json");
    bool paused = false;
    const auto everyone = [](pid_t program) {
        std::vector<pid_t> family{program};
        for (const auto& [pid, name] : tour_test::children_of(program)) family.push_back(pid);  // workers, sitesim
        return family;
    };
    const auto run = run_paused(everyone, json.path().string(), paused);
    CAPTURE(run.err);
    REQUIRE(paused);
    CHECK_FALSE(run.timed_out);
    CHECK_FALSE(contains(run.err, "missed its deadline"));
    CHECK_FALSE(contains(run.err, "every worker process died"));
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    REQUIRE(doc["results"].size() == 20);
    // A request in flight during the stop may time out in its worker once continued (its own
    // curl's clock ran on too): an honest "curl error 28" from the worker, at most one per
    // worker. Nothing is lost and no worker is killed.
    std::size_t timed_out = 0;
    for (const auto& r : doc["results"]) {
        if (r["ok"].get<bool>()) continue;
        const std::string error = r["error"].get<std::string>();
        CAPTURE(error);
        CHECK(contains(error, "curl error 28"));
        ++timed_out;
    }
    CHECK(timed_out <= 4);
    CHECK(doc["ok"] == 20 - timed_out);
    CHECK(run.exit_code == (timed_out == 0 ? 0 : 1));
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
