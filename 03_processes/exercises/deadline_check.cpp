// The check for exercise 3.2: quick children are waited for, hung ones killed, all reaped.
#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <csignal>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "deadline.hpp"

using namespace std::chrono_literals;

namespace {

void quick() { std::this_thread::sleep_for(50ms); }
void fails() { _exit(7); }
void hangs() {
    for (;;) pause();  // never ends on its own
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
    while (waitpid(-1, nullptr, 0) > 0) {
    }
}

}  // namespace

TEST_CASE("a child that ends before the deadline is waited for, not killed") {
    const auto outcome = exercise::run_with_deadline(quick, 5s);
    const bool clean = no_children_left();
    CHECK(outcome.ended);
    CHECK_FALSE(outcome.killed);
    CHECK(WIFEXITED(outcome.status));
    CHECK(WEXITSTATUS(outcome.status) == 0);
    CHECK(clean);
    while (waitpid(-1, nullptr, 0) > 0) {  // if it was left running: wait for it here
    }
}

TEST_CASE("its exit status is passed on") {
    const auto outcome = exercise::run_with_deadline(fails, 5s);
    while (waitpid(-1, nullptr, 0) > 0) {
    }
    CHECK(outcome.ended);
    CHECK(WIFEXITED(outcome.status));
    CHECK(WEXITSTATUS(outcome.status) == 7);
}

TEST_CASE("a child that hangs is killed at the deadline, and reaped") {
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = exercise::run_with_deadline(hangs, 200ms);
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
