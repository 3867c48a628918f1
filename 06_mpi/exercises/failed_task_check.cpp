// The check for exercise 6.1: under mpirun with 3 ranks, a task whose work throws is listed as
// failed, and every other task still gives chapter 5's reference result.
//
// One program plays both parts. Run by CTest (or ./tour.sh check), it starts
// `mpirun -np 3 <itself> --no-skip -tc="ranks*"`: each rank then runs only the test case
// "ranks", which calls the exercise and has rank 0 print what came back; the outer test case
// reads that output and checks it.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <mpi.h>

#include "exercise_check.hpp"
#include "failed_task.hpp"
#include "mpi_launch.hpp"

namespace {
const auto tasks = cpu::make_tasks(1'000'000, 8, 2'000);
constexpr std::size_t bad_task = 3;

// Chapter 5's work, except that task 3 throws, as a bug or bad input would.
cpu::TaskResult work(const cpu::Task& task) {
    if (task.first == tasks[bad_task].first) throw std::runtime_error("task 3 cannot be computed");
    return cpu::count_primes(task);
}
}  // namespace

TEST_CASE("ranks" * doctest::skip()) {  // only under mpirun, started by the test case below
    MPI_Init(nullptr, nullptr);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    exercise::Outcome outcome;
    try {
        outcome = exercise::run_reporting_failures(tasks, work);
    } catch (const std::exception& e) {
        // Out of this rank, the exception reaches nobody: the manager would wait for ever. Say
        // so on stdout (the outer test case reads it), then end the job.
        std::cout << "escaped " << rank << ' ' << e.what() << std::endl;
        MPI_Abort(MPI_COMM_WORLD, 3);
    }
    if (rank == 0) {
        for (std::size_t i = 0; i < outcome.results.size(); ++i) {
            std::cout << "result " << i << ' ' << outcome.results[i].primes << ' ' << outcome.results[i].checksum << '\n';
        }
        for (const std::size_t i : outcome.failed) std::cout << "failed " << i << '\n';
        std::cout << std::flush;
    }
    MPI_Finalize();
}

TEST_CASE("a task that throws on a worker is reported as failed, and every other task is still computed") {
    // mpirun gives up after 10 s (a manager waiting for an answer that never comes), the check
    // after 14: its own message, well inside CTest's limit.
    const auto run = tour_test::run_program(
        MPIRUN, {"-np", "3", "--oversubscribe", "--allow-run-as-root", "--timeout", "10",
                  std::filesystem::read_symlink("/proc/self/exe").string(), "--no-skip", "-tc=ranks"},
        std::chrono::seconds(14));
    // The ranks' own words first. mpirun's stderr after an MPI_Abort is about mpirun (and some
    // Open MPI versions add a backtrace of mpirun's own shutdown): not the learner's code.
    if (const auto at = run.out.find("escaped "); at != std::string::npos) {
        std::istringstream line(run.out.substr(at + 8));
        int rank = 0;
        line >> rank;
        FAIL("the exception that task " << bad_task << "'s work threw left run_reporting_failures on rank " << rank
             << ", so mpirun ended the job and every other result was lost with it: catch it on the worker "
                "and send the manager a message that says which task failed");
    }
    if (run.timed_out || run.exit_code != 0) {
        INFO("mpirun's stderr:\n", run.err);
        FAIL("mpirun -np 3 did not end well ("
             << (run.timed_out ? std::string("killed after 14 s") : "exit status " + std::to_string(run.exit_code))
             << "): is the manager waiting for an answer that no worker sends (a tag it does not receive)?");
    }
    std::vector<cpu::TaskResult> results(tasks.size());
    std::vector<std::size_t> failed, returned;
    std::istringstream lines(run.out);
    for (std::string word; lines >> word;) {
        std::size_t i = 0;
        if (word == "result" && lines >> i && i < tasks.size()) {
            lines >> results[i].primes >> results[i].checksum;
            returned.push_back(i);
        } else if (word == "failed" && lines >> i) {
            failed.push_back(i);
        }
    }
    CHECK(returned.size() == tasks.size());
    CHECK(failed == std::vector<std::size_t>{bad_task});
    const auto reference = cpu::sieve_reference(tasks);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        CAPTURE(i);
        if (i == bad_task) {
            CHECK(results[i].primes == 0);
            CHECK(results[i].checksum == 0);
        } else {
            CHECK(results[i].primes == reference[i].primes);
            CHECK(results[i].checksum == reference[i].checksum);
        }
    }
}
