// compare: every model runs on one list and is measured, the table is computed from the runs,
// and bad usage is refused.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "charts.hpp"
#include "simulator/sitesim_process.hpp"
#include "run_model.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"
#include "table.hpp"

using tour_test::build_path;
using tour_test::contains;
using tour_test::run_program;
using tour_test::TempFile;

namespace {
const auto compare_program = build_path("compare/compare");
}  // namespace

TEST_CASE("all four models run on one list: every URL, its bytes, each model's own concurrency at the server") {
    TempFile json("", ".json");
    const auto run = run_program(compare_program, {"--sites", "12", "--latency-ms", "600", "--json", json.path().string()});
    CAPTURE(run.err);
    REQUIRE(run.exit_code == 0);
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    CHECK(doc["sites"] == 12);
    // Without --workers every model runs with its own default: the pool of 10 threads, a
    // process per core, the event loop with every request in flight at once.
    const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    const std::map<std::string, long> default_workers = {{"Serial", 1}, {"Threads", 10}, {"Processes", cores}, {"Event loop", 12}};
    std::set<std::string> expected_paths;
    for (std::size_t i = 0; i < 12; ++i) expected_paths.insert(sitesim::site_path(i));
    const std::uint64_t expected_bytes = tour_test::expected_bytes(1, 600, 12);
    std::vector<std::string> models;
    REQUIRE(doc["runs"].size() == 4);
    for (const auto& row : doc["runs"]) {
        const auto model = row["model"].get<std::string>();
        CAPTURE(model);
        models.push_back(model);
        CHECK(contains(run.out, "Starting " + model + " download of 12 sites..."));
        CHECK(row["exit_code"] == 0);
        const long workers = row["workers"].get<long>();
        CHECK(workers == default_workers.at(model));
        // The server saw exactly the concurrency the model claims (a pool of 10 on 12 URLs: 10).
        // Pages of 300-900 ms (--latency-ms 600): every worker's first request is in flight
        // before the fastest page is back, even when starting threads is slow under a sanitizer.
        CHECK(row["server_peak_in_flight"].get<long>() == std::min(workers, 12L));
        // Every URL once, each body as long as the simulator made it and with its content.
        const auto& records = row["report"]["results"];
        REQUIRE(records.size() == 12);
        std::set<std::string> paths;
        std::size_t ok = 0;
        for (const auto& r : records) {
            const auto path = tour_test::path_of(r["url"].get<std::string>());
            paths.insert(path);
            ok += r["ok"].get<bool>() ? 1 : 0;
            const auto bytes = sitesim::page_spec({1, 600}, path).bytes;
            CHECK(r["bytes"] == bytes);
            CHECK(r["body_hash"] == tour_test::expected_hash(path, bytes));
        }
        CHECK(paths == expected_paths);
        CHECK(ok == 12);
        CHECK(row["ok"] == ok);
        CHECK(row["failed"] == 0);
        CHECK(row["report"]["bytes"] == expected_bytes);
        // The ideal schedule is a lower bound: no run can beat it.
        CHECK(row["ideal_seconds"].get<double>() <= row["seconds"].get<double>());
        // What the table shows was measured: CPU time and a resident set.
        CHECK(row["peak_rss_kib"].get<long>() > 0);
    }
    CHECK(models == std::vector<std::string>{"Serial", "Threads", "Processes", "Event loop"});  // the Python demo's order
    const double serial_seconds = doc["runs"][0]["seconds"].get<double>();
    for (const auto& row : doc["runs"]) {
        CHECK(row["speedup"].get<double>() == doctest::Approx(serial_seconds / row["seconds"].get<double>()));
    }
}

TEST_CASE("--workers is passed on to every model that has workers") {
    TempFile json("", ".json");
    // Latencies long enough that the first requests of all three workers overlap, even under TSan.
    const auto run = run_program(compare_program, {"--sites", "6", "--latency-ms", "300", "--workers", "3", "--json",
                                                   json.path().string()});
    CAPTURE(run.err);
    REQUIRE(run.exit_code == 0);
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    REQUIRE(doc["runs"].size() == 4);
    for (const auto& row : doc["runs"]) {
        CAPTURE(row["model"]);
        const long expected = row["model"] == "Serial" ? 1 : 3;
        CHECK(row["workers"] == expected);
        CHECK(row["server_peak_in_flight"] == expected);
        CHECK(row["ok"] == 6);
        CHECK(row["exit_code"] == 0);
    }
}

TEST_CASE("failures are counted and listed, and the exit status is 1") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(1, 5);
    TempFile list(sim.base_url() + "/site/1\n" + sim.base_url() + "/site/2?status=503\n" + sim.base_url() + "/site/3\n");
    TempFile json("", ".json");
    const auto run = run_program(compare_program, {"--urls", list.path().string(), "--only", "serial", "--json", json.path().string()});
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "site/2?status=503: HTTP status 503"));
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    REQUIRE(doc["runs"].size() == 1);
    CHECK(doc["runs"][0]["ok"] == 2);
    CHECK(doc["runs"][0]["failed"] == 1);
    CHECK(doc["runs"][0]["exit_code"] == 1);
    CHECK(doc["runs"][0]["ideal_seconds"].is_null());  // latencies are unknown for a URL file
}

TEST_CASE("unknown models and bad options are refused with exit status 2") {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--only", "serial,fibers"}, {"--workers", "0"}, {"--bogus"}, {"--urls", "/nonexistent"}}) {
        CAPTURE(args);
        const auto run = run_program(compare_program, args);
        CHECK(run.exit_code == 2);
        CHECK_FALSE(run.err.empty());
        CHECK_FALSE(contains(run.out, "Starting"));
    }
    CHECK(contains(run_program(compare_program, {"--only", "fibers"}).err, "unknown model 'fibers'"));
}

TEST_CASE("the table and timeline are built from the records (unit)") {
    compare::ModelRun serial, pool;
    serial.model = compare::all_models()[0];
    pool.model = compare::all_models()[1];
    auto record = [](int worker, double start, double end, bool ok) {
        return nlohmann::json{{"worker", worker}, {"start_s", start}, {"end_s", end}, {"ok", ok}, {"url", "http://x/?a=1&b=<2>"}};
    };
    serial.report = {{"seconds", 2.0}, {"workers", 1}, {"results", {record(0, 0, 1, true), record(0, 1, 2, false)}}};
    pool.report = {{"seconds", 0.5}, {"workers", 2}, {"results", {record(0, 0, 0.5, true), record(1, 0, 0.4, true)}}};
    const auto rows = compare::make_rows({serial, pool});
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].ok == 1);
    CHECK(rows[0].failed == 1);
    // A serial run that failed a page did less work: no baseline, so no speed-up.
    CHECK_FALSE(rows[1].speedup.has_value());
    compare::ModelRun serial_complete = serial;
    serial_complete.report["results"][1]["ok"] = true;
    const auto complete_rows = compare::make_rows({serial_complete, pool});
    REQUIRE(complete_rows[1].speedup.has_value());
    CHECK(*complete_rows[1].speedup == doctest::Approx(4.0));
    const auto svg = compare::timeline_svg({serial, pool});
    CHECK(contains(svg, "<svg"));
    CHECK(contains(svg, "class=\"failed\""));
    CHECK(contains(svg, "a=1&amp;b=&lt;2&gt;"));  // URLs are escaped
    CHECK_FALSE(contains(svg, "b=<2>"));
}

TEST_CASE("the sweep chart has a line per model and a point per run (unit)") {
    std::vector<compare::Row> rows;
    for (const char* model : {"Threads", "Event loop"}) {
        for (int w : {1, 2, 4, 8}) {
            compare::Row r;
            r.model = model;
            r.workers = w;
            r.seconds = 8.0 / w + 0.1;
            r.ideal_seconds = 8.0 / w;
            rows.push_back(r);
        }
    }
    const auto svg = compare::sweep_svg(rows);
    auto count = [&](const std::string& piece) {
        std::size_t n = 0;
        for (auto at = svg.find(piece); at != std::string::npos; at = svg.find(piece, at + 1)) ++n;
        return n;
    };
    CHECK(count("<circle") == rows.size());
    CHECK(count("<polyline") == 3);  // two models and the ideal line
    CHECK(count("class=\"ideal\"") == 2);  // the ideal line and its legend entry
    CHECK(contains(svg, "Threads, 8 workers: 1.1"));
    // Without ideal times (a URL file) there is no ideal line.
    for (auto& r : rows) r.ideal_seconds.reset();
    CHECK_FALSE(contains(compare::sweep_svg(rows), "class=\"ideal\""));
}

TEST_CASE("the sweep runs each concurrent model at 1, 2, 4 ... workers up to one per URL") {
    TempFile json("", ".json");
    TempFile chart("", ".svg");
    const auto run = run_program(compare_program, {"--sites", "5", "--latency-ms", "600", "--only", "threads,event-loop", "--sweep",
                                                   "--sweep-chart", chart.path().string(), "--json", json.path().string()});
    CAPTURE(run.err);
    REQUIRE(run.exit_code == 0);
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    std::map<std::string, std::vector<long>> workers_of;
    for (const auto& row : doc["sweep"]) {
        workers_of[row["model"].get<std::string>()].push_back(row["workers"].get<long>());
        CHECK(row["ok"] == 5);
        CHECK(row["server_peak_in_flight"] == row["workers"]);  // pages of 300-900 ms: all start before one ends
        CHECK(row["ideal_seconds"].get<double>() <= row["seconds"].get<double>());
    }
    const std::vector<long> expected = {1, 2, 4, 5};
    CHECK(workers_of["Threads"] == expected);
    CHECK(workers_of["Event loop"] == expected);
    CHECK(workers_of.size() == 2);
    std::ifstream in(chart.path());
    const std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(contains(svg, "<svg"));
    CHECK(contains(svg, "Event loop, 5 workers"));
    CHECK(run_program(compare_program, {"--sweep-chart", chart.path().string()}).exit_code == 2);  // needs --sweep
}

TEST_CASE("a model's peak RSS is its own, not that of the process that launched it") {
    // The launcher is forked while this test process is small.
    compare::Launcher launcher;
    // Then this process grows by 256 MiB, every page touched so it is resident.
    constexpr std::size_t grown = 256u << 20;
    std::vector<char> ballast(grown);
    for (std::size_t i = 0; i < grown; i += 4096) ballast[i] = static_cast<char>(i >> 12);
    const auto [direct_exit, direct] = compare::run_child("/bin/true", {});
    const auto [launched_exit, launched] = launcher.run("/bin/true", {});
    CHECK(direct_exit == 0);
    CHECK(launched_exit == 0);
    // Linux charges a spawned child with its parent's peak: /bin/true "peaked" at 256 MiB+.
    CHECK(direct.peak_rss_kib >= static_cast<long>(grown >> 10));
    // From the launcher it did not.
    CHECK(launched.peak_rss_kib < static_cast<long>(grown >> 11));
    CHECK(static_cast<int>(ballast[4096]) == 1);  // the ballast was really there
    // Exit codes and failures to start come back as from run_child.
    CHECK(launcher.run("/bin/false", {}).first == 1);
    CHECK_THROWS_WITH_AS(launcher.run("/nonexistent/program", {}), doctest::Contains("cannot run"), std::runtime_error);
}
