// The 02_threads program as a user runs it (and thread_cost's smoke run): output, exit status,
// bad --workers values.
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "simulator/sitesim_process.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"

using tour_test::build_path;
using tour_test::contains;
using tour_test::expected_bytes;
using tour_test::run_program;
using tour_test::TempFile;

namespace {
const auto threads_program = build_path("02_threads/02_threads");
}  // namespace

TEST_CASE("a run against the embedded simulator: the demo's lines, 10 workers by default, exit 0") {
    TempFile json("", ".json");
    const auto run = run_program(threads_program, {"--sites", "24", "--latency-ms", "5", "--json", json.path().string()});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "Starting Threads download of 24 sites...\n"));
    CHECK(contains(run.out, "Threads download of 24 sites - Duration: "));
    CHECK(contains(run.out, "24 ok, 0 failed, "));

    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    CHECK(doc["model"] == "Threads");
    CHECK(doc["workers"] == 10);
    CHECK(doc["ok"] == 24);
    CHECK(doc["bytes"] == expected_bytes(1, 5, 24));
    std::set<int> workers;
    for (const auto& r : doc["results"]) workers.insert(r["worker"].get<int>());
    CHECK(workers.size() <= 10);
}

TEST_CASE("--workers 0: one thread per URL, reported as that many workers") {
    TempFile json("", ".json");
    const auto run = run_program(threads_program, {"--sites", "12", "--latency-ms", "5", "--workers", "0", "--json",
                                                   json.path().string()});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    CHECK(doc["workers"] == 12);
    CHECK(doc["ok"] == 12);
    CHECK(doc["bytes"] == expected_bytes(1, 5, 12));
}

TEST_CASE("failures are listed with their reasons, the others succeed, exit status 1") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(1, 2);
    const std::string base = sim.base_url();
    TempFile list(base + "/site/0\n" + base + "/site/1?fault=reset\n" + base + "/site/2\n" + base +
                  "/site/3?status=404\n" + base + "/site/4\n");
    const auto run = run_program(threads_program, {"--urls", list.path().string(), "--workers", "3", "--timeout", "2"});
    CAPTURE(run.out);
    CAPTURE(run.err);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.out, "3 ok, 2 failed"));
    CHECK(contains(run.err, "fault=reset: curl error"));
    CHECK(contains(run.err, "status=404: HTTP status 404"));
}

TEST_CASE("bad --workers values: a clear message and exit status 2, never a crash") {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"--workers", "-1"},
             {"--workers", "-1000"},
             {"--workers", "ten"},
             {"--workers", "2.5"},
             {"--workers", "99999999999"},
             {"--workers"},
         }) {
        CAPTURE(args);
        const auto run = run_program(threads_program, args);
        CAPTURE(run.err);
        CHECK(run.exit_code == 2);
        CHECK(run.signal == 0);
        CHECK(contains(run.err, "--workers"));
        CHECK_FALSE(contains(run.out, "Starting"));
    }
}

TEST_CASE("--help explains --workers 0, --version names the program") {
    const auto help = run_program(threads_program, {"--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "0 starts one thread per URL"));
    const auto version = run_program(threads_program, {"--version"});
    CHECK(version.exit_code == 0);
    CHECK(contains(version.out, "02_threads"));
}

TEST_CASE("thread_cost smoke run: a few threads, the figures printed, bad N rejected") {
    const auto run = run_program(build_path("02_threads/thread_cost"), {"4", "--malloc"});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "thread_cost: 4 threads"));
    CHECK(contains(run.out, "VmRSS"));
    CHECK(contains(run.out, "while blocked"));
    for (const char* bad : {"0", "-3", "many", "100001"}) {
        CAPTURE(bad);
        CHECK(run_program(build_path("02_threads/thread_cost"), {bad}).exit_code == 2);
    }
}

TEST_CASE("--model futures: the same report, named Futures, one thread per URL, a bad model is exit 2") {
    TempFile json("", ".json");
    const auto run = run_program(threads_program, {"--model", "futures", "--workers", "4", "--sites", "12",
                                                   "--latency-ms", "5", "--json", json.path().string()});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "Starting Futures download of 12 sites...\n"));
    CHECK(contains(run.out, "12 ok, 0 failed, "));
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    CHECK(doc["model"] == "Futures");
    CHECK(doc["workers"] == 12);
    CHECK(doc["bytes"] == expected_bytes(1, 5, 12));

    const auto bad = run_program(threads_program, {"--model", "executor"});
    CHECK(bad.exit_code == 2);
    CHECK(contains(bad.err, "--model"));
    CHECK_FALSE(contains(bad.out, "Starting"));
}
