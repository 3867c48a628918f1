// The check for exercise 3.2: quick children are waited for, hung ones killed, all reaped.
// Every wait is bounded by an alarm (tour_check::Alarm, not a watchdog thread: this check forks,
// and a process forks only while it has one thread).
#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <csignal>
#include <thread>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deadline.hpp"
#include "exercise_check.hpp"

using namespace std::chrono_literals;

namespace {

// The children run these. Each dies with the check (PR_SET_PDEATHSIG): a check that gives up
// must not leave a child running for ever.
const pid_t the_check = getpid();  // set before any fork: a child sees the check's pid here
void die_with_parent() {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != the_check) _exit(1);  // the check was gone before prctl took effect
}
void quick() {
    die_with_parent();
    std::this_thread::sleep_for(50ms);
}
void fails() { _exit(7); }
void hangs() {
    die_with_parent();
    for (;;) pause();  // never ends on its own
}

// Reap whatever the exercise left behind: children that end by themselves.
void wait_for_children() {
    const tour_check::Alarm alarm("a child of the check did not end by itself");
    while (waitpid(-1, nullptr, 0) > 0) {
    }
}

// No child of this process left, not even a zombie.
bool no_children_left() { return waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD; }

// If the exercise left a child behind, kill and reap it here: one failed check must not leave
// a process running for ever. (Children of this process: /proc/<pid>/stat names the parent.)
void clean_up() {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        if (!std::getline(in, stat) || stat.rfind(')') == std::string::npos) continue;
        char state = 0;
        long ppid = 0;
        if (std::sscanf(stat.c_str() + stat.rfind(')') + 1, " %c %ld", &state, &ppid) == 2 && ppid == getpid()) {
            kill(static_cast<pid_t>(std::stol(entry.path().filename().string())), SIGKILL);
        }
    }
    const tour_check::Alarm alarm("a killed child of the check was not reaped");
    while (waitpid(-1, nullptr, 0) > 0) {
    }
}

}  // namespace

TEST_CASE("a child that ends before the deadline is waited for, not killed") {
    exercise::Outcome outcome;
    {
        const tour_check::Alarm alarm("run_with_deadline(a child that ends after 50 ms, deadline 5 s) did not "
                                      "return: does it wait for the child's end, and at most until the deadline?");
        outcome = exercise::run_with_deadline(quick, 5s);
    }
    const bool clean = no_children_left();
    CHECK(outcome.ended);
    CHECK_FALSE(outcome.killed);
    CHECK(WIFEXITED(outcome.status));
    CHECK(WEXITSTATUS(outcome.status) == 0);
    CHECK(clean);
    wait_for_children();  // if it was left running: wait for it here
}

TEST_CASE("its exit status is passed on") {
    exercise::Outcome outcome;
    {
        const tour_check::Alarm alarm("run_with_deadline(a child that exits with status 7, deadline 5 s) did not "
                                      "return: does it wait for the child's end, and at most until the deadline?");
        outcome = exercise::run_with_deadline(fails, 5s);
    }
    wait_for_children();
    CHECK(outcome.ended);
    CHECK(WIFEXITED(outcome.status));
    CHECK(WEXITSTATUS(outcome.status) == 7);
}

TEST_CASE("a child that hangs is killed at the deadline, and reaped") {
    const auto start = std::chrono::steady_clock::now();
    exercise::Outcome outcome;
    {
        const tour_check::Alarm alarm("run_with_deadline(a child that never ends, deadline 200 ms) did not return: "
                                      "is the child killed at the deadline before it is reaped?");
        outcome = exercise::run_with_deadline(hangs, 200ms);
    }
    const auto waited = std::chrono::steady_clock::now() - start;
    const bool clean = no_children_left();
    CHECK_FALSE(outcome.ended);
    CHECK(outcome.killed);
    CHECK(WIFSIGNALED(outcome.status));
    CHECK(WTERMSIG(outcome.status) == SIGKILL);
    CHECK(waited >= 200ms);  // it did wait for the deadline before killing
    CHECK(clean);
    clean_up();
}
