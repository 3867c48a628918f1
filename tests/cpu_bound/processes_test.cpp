// Chapter 5: the process model. These test cases fork; ctest runs each test case in a process
// of its own, so no thread of another test case is alive when they do.
#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <latch>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "common/posix.hpp"
#include "cpu_models.hpp"
#include "run_program.hpp"
#include "workload.hpp"

using tour_test::contains;

namespace {

// Every child reaped: no zombies left behind.
bool no_children_left() { return waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD; }

// Test doubles for the work of one task, run in the children.
cpu::TaskResult killed_on_task_2(const cpu::Task& task) {
    if (task.first == 2'000) raise(SIGKILL);
    return cpu::count_primes(task);
}
cpu::TaskResult fails_on_task_3(const cpu::Task& task) {
    if (task.first == 3'000) _exit(3);
    return cpu::count_primes(task);
}

// ctest runs every test case in a fresh process. When the whole binary runs in one process,
// ThreadSanitizer keeps a background thread alive after the first std::thread, and forking
// is then refused (rightly): say so instead of failing.
bool single_threaded() {
    if (tour::thread_count() == 1) return true;
    tour_test::skip_test("this process already has " + std::to_string(tour::thread_count()) +
                         " threads; run each test case alone (as ctest does)");
    return false;
}

}  // namespace

TEST_CASE("processes: the reference results for any number of workers") {
    if (!single_threaded()) return;
    const auto tasks = cpu::make_tasks(1'000'000, 7, 1'000);
    const auto reference = cpu::sieve_reference(tasks);
    for (int workers : {1, 2, 3, 10}) {  // 10 > 7 tasks: some children have nothing to do
        CAPTURE(workers);
        CHECK(cpu::run_processes(tasks, workers) == reference);
    }
    CHECK(no_children_left());
}

TEST_CASE("processes: a child killed by a signal is reported with its lost task, and every child is reaped") {
    if (!single_threaded()) return;
    const auto tasks = cpu::make_tasks(0, 6, 1'000);  // task 2 is [2000, 3000)
    try {
        cpu::run_processes(tasks, 2, killed_on_task_2);
        FAIL("run_processes returned although a child was killed");
    } catch (const cpu::ChildFailed& e) {
        const std::string what = e.what();
        CAPTURE(what);
        CHECK(contains(what, "worker 0 killed by SIGKILL"));  // worker 0 does tasks 0, 2, 4
        CHECK(contains(what, "tasks lost: 2 4"));
    }
    CHECK(no_children_left());
}

TEST_CASE("processes: a child that exits with a failure status is reported") {
    if (!single_threaded()) return;
    const auto tasks = cpu::make_tasks(0, 6, 1'000);  // worker 1 does tasks 1, 3, 5
    try {
        cpu::run_processes(tasks, 2, fails_on_task_3);
        FAIL("run_processes returned although a child failed");
    } catch (const cpu::ChildFailed& e) {
        const std::string what = e.what();
        CAPTURE(what);
        CHECK(contains(what, "worker 1 exited with status 3"));
        CHECK(contains(what, "tasks lost: 3 5"));
    }
    CHECK(no_children_left());
}

TEST_CASE("processes: refuses to fork while another thread is alive") {
    std::latch release(1);
    std::jthread other([&] { release.wait(); });
    CHECK_THROWS_AS(cpu::run_processes(cpu::make_tasks(0, 2, 10), 2), std::logic_error);
    release.count_down();
}
