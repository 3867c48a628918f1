// The check for exercise 3.2: quick children are waited for, hung ones killed, all reaped.
// Every wait is bounded by an alarm (tour_check::Alarm, not a watchdog thread: this check forks,
// and a process forks only while it has one thread).
#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
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

// How a wait status reads: "exited with status 0", "killed by signal 9 (Killed)". A CHECK on the
// macros themselves (WIFSIGNALED...) would print their expansion, not their names.
std::string how_it_ended(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    return "wait status " + std::to_string(status) + " (neither an exit nor a signal: not a reaped child's)";
}
const std::string killed_by_sigkill = "killed by signal 9 (" + std::string(strsignal(SIGKILL)) + ")";

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
    CHECK_MESSAGE(outcome.ended, "a child that ends after 50 ms, with a deadline of 5 s, was not reported as ended: "
                                 "does run_with_deadline wait for the child's end (not look once, at once)?");
    CHECK_FALSE_MESSAGE(outcome.killed, "a child that ended on its own was reported killed");
    CHECK(how_it_ended(outcome.status) == "exited with status 0");
    CHECK_MESSAGE(clean, "run_with_deadline returned and left a child behind (running, or a zombie): reap it");
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
    CHECK_MESSAGE(outcome.ended, "a child that exits with status 7 was not reported as ended");
    CHECK(how_it_ended(outcome.status) == "exited with status 7");
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
    CHECK_FALSE_MESSAGE(outcome.ended, "a child that never ends was reported as ended");
    CHECK_MESSAGE(outcome.killed, "a child still running at the deadline must be killed (SIGKILL) and reported killed");
    CHECK(how_it_ended(outcome.status) == killed_by_sigkill);
    CHECK_MESSAGE(waited >= 200ms, "it did not wait for the deadline before giving up on the child");
    CHECK_MESSAGE(clean, "run_with_deadline returned and left a child behind (running, or a zombie): kill it, then reap it");
    clean_up();
}
