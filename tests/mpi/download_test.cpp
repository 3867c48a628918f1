// Chapter 6's download program under mpirun: every URL fetched once, as many requests in flight
// at the server as ranks, chapter 1-4's report and exit status; no rank outlives mpirun.
#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "simulator/sitesim_process.hpp"
#include "mpi_launch.hpp"
#include "simulator/site_model.hpp"

using tour_test::contains;
using tour_test::TempFile;

namespace {
const auto program = tour_test::build_path("06_mpi/06_mpi_download");

std::string lines(const std::vector<std::string>& urls) {
    std::string text;
    for (const auto& url : urls) text += url + '\n';
    return text;
}

// Every process of the run (they all have `marker` on their command line) gone within 10 s.
void check_no_rank_left(const std::string& marker) {
    std::vector<pid_t> left;
    for (int tries = 0; tries < 1000; ++tries) {
        left = tour_test::processes_with(marker);
        if (left.empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(left.empty());
}
}  // namespace

TEST_CASE("2 and 3 ranks: every URL once, peak in flight at the server = ranks, every rank used, exit 0") {
    tour::SiteSimulator sim(1, 150);  // pages take 75-225 ms: every rank is busy at once
    const auto urls = sim.urls(18);
    TempFile list(lines(urls));
    for (const int ranks : {2, 3}) {
        CAPTURE(ranks);
        sim.reset_stats();
        TempFile json("", ".json");
        const auto run = tour_test::run_mpi(ranks, program, {"--urls", list.path().string(), "--json", json.path().string()});
        CAPTURE(run.err);
        REQUIRE(run.exit_code == 0);
        CHECK(contains(run.out, "Starting MPI download of 18 sites...\n"));
        CHECK(contains(run.out, "MPI download of 18 sites - Duration: "));
        CHECK(contains(run.out, "18 ok, 0 failed, "));

        const auto stats = sim.stats();
        CHECK(stats["requests"] == 18);
        CHECK(stats["peak_in_flight"] == ranks);
        CHECK(stats["connections_accepted"] == ranks);  // a session (a connection) per rank

        const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
        CHECK(doc["model"] == "MPI");
        CHECK(doc["workers"] == ranks);
        REQUIRE(doc["results"].size() == urls.size());
        std::set<int> workers;
        for (std::size_t i = 0; i < urls.size(); ++i) {
            const auto& r = doc["results"][i];
            CAPTURE(i);
            CHECK(r["url"] == urls[i]);  // in input order
            CHECK(r["ok"] == true);
            CHECK(r["bytes"] == sitesim::page_spec({1, 150}, tour_test::path_of(urls[i])).bytes);
            CHECK(r["worker"] == static_cast<int>(i % ranks));  // round-robin
            workers.insert(r["worker"].get<int>());
        }
        CHECK(workers.size() == static_cast<std::size_t>(ranks));
        check_no_rank_left(list.path().string());
    }
}

TEST_CASE("a URL that fails: listed with its reason, the rest fetched, exit status 1 through mpirun") {
    tour::SiteSimulator sim(2, 5);
    auto urls = sim.urls(6);
    urls.insert(urls.begin() + 3, sim.base_url() + "/site/3?fault=truncate");
    TempFile list(lines(urls));
    const auto run = tour_test::run_mpi(2, program, {"--urls", list.path().string()});
    CAPTURE(run.out);
    CAPTURE(run.err);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.out, "6 ok, 1 failed, "));
    CHECK(contains(run.err, "MPI: 1 URL failed:\n"));
    CHECK(contains(run.err, "/site/3?fault=truncate: "));
    CHECK(sim.stats()["requests"] == 7);
}

TEST_CASE("bad input: exit status 2 from every rank's point of view, the reason said once") {
    TempFile list("not a url\n");
    const auto run = tour_test::run_mpi(2, program, {"--urls", list.path().string()});
    CHECK(run.exit_code == 2);
    CAPTURE(run.err);
    CHECK(contains(run.err, list.path().string() + ":1:"));
    CHECK_FALSE(contains(run.out, "Starting"));
    check_no_rank_left(list.path().string());
}

TEST_CASE("mpirun stopped mid-run (SIGTERM as by a batch system's time limit, or SIGKILL): no rank is left running") {
    for (const int sig : {SIGTERM, SIGKILL}) {
        CAPTURE(sig);
        // A simulator each: the first run's requests may still be in flight at the server.
        tour::SiteSimulator sim(3, 2000);  // pages take 1-3 s: the run is far from done when stopped
        TempFile list(lines(sim.urls(20)));
        std::atomic<std::size_t> ranks_seen{0};
        const auto stop_when_running = [&](pid_t mpirun) {
            for (int tries = 0; tries < 3000; ++tries) {  // 30 s at most
                // Both ranks are fetching: the server has two requests in flight.
                if (sim.stats()["in_flight"].get<long>() >= 2) {
                    ranks_seen = tour_test::processes_with(list.path().string()).size() - 1;  // all but mpirun
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            ::kill(mpirun, sig);
        };
        const auto run = tour_test::run_mpi(2, program, {"--urls", list.path().string()}, std::chrono::seconds(90),
                                            stop_when_running);
        CAPTURE(run.err);
        const std::size_t seen = ranks_seen;
        CHECK(seen == 2);  // check_no_rank_left looks for the right processes
        CHECK_FALSE(run.timed_out);
        CHECK(run.exit_code != 0);
        check_no_rank_left(list.path().string());
        CHECK(sim.stats()["requests"].get<long>() < 20);
    }
}

TEST_CASE("a rank killed mid-run (as by the OOM killer): mpirun ends the whole job, nonzero, every result lost, no rank left") {
    // Unlike chapter 3, where a dead worker costs the one URL it held: with MPI's default error
    // handling, one rank's death ends the job (docs/06-mpi.md, "A failed rank").
    tour::SiteSimulator sim(4, 2000);
    TempFile list(lines(sim.urls(20)));
    std::atomic<pid_t> killed{0};
    const auto kill_a_rank = [&](pid_t mpirun) {
        for (int tries = 0; tries < 3000; ++tries) {  // 30 s at most
            if (sim.stats()["in_flight"].get<long>() >= 2) {
                for (const pid_t pid : tour_test::processes_with(list.path().string())) {
                    if (pid != mpirun) killed = pid;  // a rank (any one)
                }
                if (killed != 0) ::kill(killed, SIGKILL);
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    };
    const auto run = tour_test::run_mpi(2, program, {"--urls", list.path().string()}, std::chrono::seconds(90), kill_a_rank);
    CAPTURE(run.err);
    const pid_t killed_rank = killed;
    REQUIRE(killed_rank != 0);
    CHECK_FALSE(run.timed_out);
    CHECK(run.exit_code != 0);
    CHECK(contains(run.err, "exited on signal 9"));
    CHECK_FALSE(contains(run.out, " ok, "));  // no report: rank 0 never got the results
    check_no_rank_left(list.path().string());
}
