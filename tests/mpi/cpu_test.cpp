// Chapter 6's CPU program under mpirun: every model gives chapter 5's reference, task by task,
// with one, two and (oversubscribed) three ranks, even and uneven tasks; usage errors once.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cpu_report.hpp"
#include "mpi_launch.hpp"
#include "mpi_models.hpp"
#include "workload.hpp"

using tour_test::contains;
using tour_test::TempFile;

namespace {
const auto program = tour_test::build_path("06_mpi/06_mpi");

// Every model in the --json document has each task's result equal to chapter 5's reference
// (a sieve, computed here: not a number written into the test).
void check_against_reference(const nlohmann::json& doc, const std::vector<cpu::Task>& tasks, int ranks) {
    const auto reference = cpu::sieve_reference(tasks);
    CHECK(doc["ranks"] == ranks);
    CHECK(doc["reference"]["checksum"] == cpu::hex(cpu::run_checksum(reference)));
    REQUIRE(doc["models"].size() == 2);
    for (const auto& model : doc["models"]) {
        CAPTURE(model["model"]);
        CHECK(model["ok"] == true);
        CHECK(model["checksum"] == cpu::hex(cpu::run_checksum(reference)));
        REQUIRE(model["tasks"].size() == tasks.size());
        for (std::size_t i = 0; i < tasks.size(); ++i) {
            CAPTURE(i);
            CHECK(model["tasks"][i]["first"] == tasks[i].first);
            CHECK(model["tasks"][i]["last"] == tasks[i].last);
            CHECK(model["tasks"][i]["primes"] == reference[i].primes);
            CHECK(model["tasks"][i]["checksum"] == cpu::hex(reference[i].checksum));
        }
    }
}
}  // namespace

TEST_CASE("mpirun -np 1, 2 and 3: static blocks and manager/worker give chapter 5's reference, task by task") {
    for (const int ranks : {1, 2, 3}) {
        CAPTURE(ranks);
        TempFile json("", ".json");
        const auto run = tour_test::run_mpi(ranks, program, {"--tasks", "7", "--size", "20000", "--json", json.path().string()});
        CAPTURE(run.err);
        REQUIRE(run.exit_code == 0);
        CHECK(contains(run.out, "Starting MPI static blocks computation of 7 tasks...\n"));
        CHECK(contains(run.out, "Every model matched the reference.\n"));
        CHECK(run.out.find("Starting MPI static") == run.out.rfind("Starting MPI static"));  // rank 0 alone prints
        check_against_reference(nlohmann::json::parse(std::ifstream(json.path())), cpu::make_tasks(1'000'000'000, 7, 20000), ranks);
    }
}

TEST_CASE("--uneven tasks over 3 ranks: the same reference for both models") {
    TempFile json("", ".json");
    const auto run = tour_test::run_mpi(3, program, {"--tasks", "9", "--size", "10000", "--start", "5000", "--uneven",
                                                     "--json", json.path().string()});
    CAPTURE(run.err);
    REQUIRE(run.exit_code == 0);
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    CHECK(doc["uneven"] == true);
    check_against_reference(doc, mpi::make_uneven_tasks(5000, 9, 10000), 3);
}

TEST_CASE("without mpirun the program is one rank (MPI's singleton start)") {
    const auto run = tour_test::run_program(program, {"--tasks", "3", "--size", "5000", "--model", "manager-worker"});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "1 rank; "));
    CHECK(contains(run.out, "(matches the reference), 1 worker"));
}

TEST_CASE("bad usage under mpirun: exit status 2, the message once (rank 0's), no model run") {
    const auto run = tour_test::run_mpi(2, program, {"--tasks", "0"});
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, "--tasks"));
    CHECK(run.err.find("--tasks") == run.err.rfind("--tasks"));
    CHECK_FALSE(contains(run.out, "Starting"));
}

TEST_CASE("make_uneven_tasks: contiguous, growing, about count * size numbers in all") {
    const auto tasks = mpi::make_uneven_tasks(100, 20, 1000);
    REQUIRE(tasks.size() == 20);
    CHECK(tasks.front().first == 100);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        CAPTURE(i);
        if (i > 0) CHECK(tasks[i].first == tasks[i - 1].last);
        if (i > 0) CHECK(tasks[i].size() > tasks[i - 1].size());
        total += tasks[i].size();
    }
    CHECK(total <= 20 * 1000);
    CHECK(total > 19 * 1000);
    CHECK(tasks.back().size() > 10 * tasks.front().size());
    CHECK_THROWS_AS(mpi::make_uneven_tasks(cpu::max_number, 2, 10), std::invalid_argument);
}
