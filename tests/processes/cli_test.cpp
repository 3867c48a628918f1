// The 03_processes program as a user runs it, the test-only crash switch through its
// environment variable, and fork_cost's smoke run.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "processes.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"

using tour_test::build_path;
using tour_test::run_program;
using tour_test::TempFile;

namespace {
const auto processes_program = build_path("03_processes/03_processes");

bool contains(const std::string& text, const std::string& piece) { return text.find(piece) != std::string::npos; }

std::uint64_t expected_bytes(std::uint64_t seed, int latency_ms, std::size_t count) {
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < count; ++i) bytes += sitesim::page_spec({seed, latency_ms}, sitesim::site_path(i)).bytes;
    return bytes;
}

// Sets an environment variable for the programs this test case starts (posix_spawn passes
// `environ` on); removed again at scope exit.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
    ~ScopedEnv() { unsetenv(name_); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
};
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

TEST_CASE("TOUR_TEST_CRASH_WORKER=1:2: the lost URL is listed with the cause, the rest fetched, exit 1") {
    ScopedEnv crash("TOUR_TEST_CRASH_WORKER", "1:2");
    TempFile json("", ".json");
    const auto run = run_program(processes_program, {"--sites", "30", "--latency-ms", "6", "--workers", "4", "--json",
                                                     json.path().string()},
                                 std::chrono::seconds(60));
    CAPTURE(run.err);
    CHECK_FALSE(run.timed_out);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.out, "29 ok, 1 failed, "));
    CHECK(contains(run.err, ": lost: worker 1 killed by SIGKILL\n"));

    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    std::size_t lost = 0;
    for (const auto& r : doc["results"]) {
        if (r["ok"].get<bool>()) {
            const std::string path = tour_test::path_of(r["url"].get<std::string>());
            CHECK(r["bytes"] == sitesim::page_spec({1, 6}, path).bytes);
        } else {
            ++lost;
            CHECK(r["error"] == "lost: worker 1 killed by SIGKILL");
        }
    }
    CHECK(lost == 1);
}

TEST_CASE("TOUR_TEST_CRASH_WORKER=0:0:exit with one worker: every URL accounted for, exit 1") {
    ScopedEnv crash("TOUR_TEST_CRASH_WORKER", "0:0:exit");
    const auto run = run_program(processes_program, {"--sites", "4", "--latency-ms", "2", "--workers", "1"},
                                 std::chrono::seconds(60));
    CAPTURE(run.err);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.out, "0 ok, 4 failed, "));
    CHECK(contains(run.err, "/site/0: lost: worker 0 exited with status 3\n"));
    CHECK(contains(run.err, "/site/3: not fetched: every worker process died (worker 0 exited with status 3)\n"));
}

TEST_CASE("bad input: --workers 0, a malformed crash switch") {
    const auto zero = run_program(processes_program, {"--workers", "0"});
    CHECK(zero.exit_code == 2);
    CHECK(contains(zero.err, "--workers"));
    ScopedEnv crash("TOUR_TEST_CRASH_WORKER", "one:two");
    const auto bad = run_program(processes_program, {"--sites", "2"});
    CHECK(bad.exit_code == 2);
    CHECK(contains(bad.err, "TOUR_TEST_CRASH_WORKER"));
}

TEST_CASE("fork_cost runs: a smoke test, the figures are for the chapter") {
    const auto run = run_program(build_path("03_processes/fork_cost"), {"3", "--parent-mib", "4", "--touch-mib", "1"});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "fork + _exit + waitpid, 3 children"));
    CHECK(contains(run.out, "Private_Dirty"));
}
