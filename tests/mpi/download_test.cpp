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

TEST_CASE("a rank stopped mid-run (kill -STOP): after the timeout + 5 s its URLs are lost by name, the rest reported, the job ended") {
    // Chapter 3's deadline, over MPI: MPI_Recv cannot time out, so before this rank 0 waited for
    // the stopped rank for ever. Now each rank must send its next result within the request
    // timeout (1 s here) plus 5 s; rank 0 then reports, writes --json and ends the job.
    tour::SiteSimulator sim(5, 200);  // pages take 100-300 ms: 20 each take the ranks 4 s or so
    const auto urls = sim.urls(40);
    TempFile list(lines(urls));
    TempFile json("", ".json");
    std::atomic<pid_t> stopped{0};
    const auto stop_rank_1 = [&](pid_t mpirun) {
        for (int tries = 0; tries < 3000 && stopped == 0; ++tries) {  // 30 s at most
            if (sim.stats()["requests"].get<long>() >= 6) {  // both ranks are under way
                for (const pid_t pid : tour_test::processes_with(list.path().string())) {
                    if (pid != mpirun && tour_test::rank_of(pid) == 1 && ::kill(pid, SIGSTOP) == 0) stopped = pid;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    };
    const auto run = tour_test::run_mpi(2, program, {"--urls", list.path().string(), "--timeout", "1", "--json",
                                                     json.path().string()}, std::chrono::seconds(90), stop_rank_1);
    CAPTURE(run.err);
    const pid_t stopped_rank = stopped;
    REQUIRE(stopped_rank != 0);
    CHECK_FALSE(run.timed_out);  // it used to hang here until mpirun's --timeout
    CHECK(run.exit_code == 1);   // MPI_Abort's status
    CHECK(contains(run.err, "rank 1 sent no result for 6 s (the request timeout, 1 s, plus 5 s): it is stopped or stuck\n"));
    CHECK(contains(run.err, "ending the job with MPI_Abort"));
    CHECK(contains(run.out, "Starting MPI download of 40 sites...\n"));

    // Every URL accounted for: rank 0's all fetched, rank 1's fetched up to where it stopped,
    // the rest "lost", by name.
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    REQUIRE(doc["results"].size() == urls.size());
    std::size_t lost = 0, fetched_by_1 = 0;
    for (std::size_t i = 0; i < urls.size(); ++i) {
        const auto& r = doc["results"][i];
        CAPTURE(i);
        CHECK(r["url"] == urls[i]);
        CHECK(r["worker"] == static_cast<int>(i % 2));
        if (i % 2 == 0) CHECK(r["ok"] == true);
        if (i % 2 == 1 && r["ok"] == true) {
            CHECK(lost == 0);  // what rank 1 fetched is a prefix of its share
            ++fetched_by_1;
        }
        if (i % 2 == 1 && r["ok"] == false) {
            CHECK(r["error"] == "lost: rank 1 sent no result for 6 s");
            ++lost;
        }
    }
    CHECK(lost > 0);
    CHECK(fetched_by_1 + lost == 20);
    CHECK(doc["ok"] == 20 + fetched_by_1);
    check_no_rank_left(list.path().string());
    if (::kill(stopped_rank, 0) == 0) ::kill(stopped_rank, SIGKILL);  // never leak it (check_no_rank_left has failed)
}

namespace {
// Stopping over MPI: --deadline 1 on 40 pages that cannot finish in time (`query`): exit 1, every
// URL cancelled "(deadline)" in --json, the downloads' own time (from the barrier: mpirun's
// start-up is not in it) under 3 s, one request per rank at the server and nothing left open.
nlohmann::json check_deadline(const std::string& query) {
    tour::SiteSimulator sim(1, 0);
    std::vector<std::string> urls;
    for (std::size_t i = 0; i < 40; ++i) urls.push_back(sim.base_url() + sitesim::site_path(i) + query);
    TempFile list(lines(urls));
    TempFile json("", ".json");
    const auto run = tour_test::run_mpi(2, program, {"--urls", list.path().string(), "--json", json.path().string(),
                                                     "--deadline", "1"});
    CAPTURE(run.err);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.out, "0 ok, 0 failed, 40 cancelled"));
    CHECK(contains(run.err, "MPI: stopped (deadline): 40 URLs cancelled:"));
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    CHECK(doc["stop_reason"] == "deadline");
    CHECK(doc["cancelled"] == 40);
    CHECK(doc["seconds"].get<double>() < 3.0);  // 1 s, and up to about 1 s for curl's progress callback
    REQUIRE(doc["results"].size() == 40);
    for (std::size_t i = 0; i < 40; ++i) {
        CAPTURE(i);
        CHECK(doc["results"][i]["url"] == urls[i]);
        CHECK(doc["results"][i]["status"] == "cancelled");
        CHECK(doc["results"][i]["error"] == "cancelled (deadline)");
    }
    CHECK(sim.stats()["requests"] == 2);  // one per rank; none started after the deadline
    nlohmann::json stats = sim.stats();
    for (int tries = 0; tries < 150 && (stats["in_flight"] != 0 || stats["connections"] != 0); ++tries) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a 2 s pause ends within 3 s
        stats = sim.stats();
    }
    CHECK(stats["in_flight"] == 0);
    CHECK(stats["connections"] == 0);
    check_no_rank_left(list.path().string());
    return doc;
}
}  // namespace

TEST_CASE("--deadline 1 under mpirun: each rank stops its own transfer, every URL reported cancelled, exit 1") {
    check_deadline("?delay_ms=2000");
}

TEST_CASE("--deadline 1 mid-body: both ranks' transfers aborted with body bytes received, the server quiet") {
    const auto doc = check_deadline("?fault=slowbody&bytes=100000&delay_ms=0");  // a byte every 100 ms
    int cut_mid_body = 0;
    for (const auto& record : doc.value("results", nlohmann::json::array())) cut_mid_body += record["bytes"].get<int>() > 0;
    CHECK(cut_mid_body == 2);
}

TEST_CASE("--fail-fast under mpirun: refused with the reason (no rank can stop another's request), exit 2, nothing run") {
    TempFile list("http://127.0.0.1:9/a\n");
    const auto run = tour_test::run_mpi(2, program, {"--urls", list.path().string(), "--fail-fast"});
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, "--fail-fast is not offered under MPI: a rank cannot stop another rank's request"));
    CHECK(run.err.find("--fail-fast is not") == run.err.rfind("--fail-fast is not"));  // said once
    CHECK_FALSE(contains(run.out, "Starting"));
}
