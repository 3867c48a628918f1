// common/posix: the descriptor owner, whole-buffer pipe I/O, reaping and wait-status text.
// Cases that fork run each in their own single-threaded process (ctest runs every case alone).
#include <doctest/doctest.h>

#include <csignal>
#include <cstring>
#include <latch>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/posix.hpp"

namespace {
bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }
}  // namespace

TEST_CASE("Fd closes its descriptor exactly once, and a moved-from Fd owns nothing") {
    auto [read_end, write_end] = tour::make_pipe();
    const int raw = read_end.get();
    CHECK(is_open(raw));
    CHECK((::fcntl(raw, F_GETFD) & FD_CLOEXEC) != 0);  // a spawned program inherits neither end
    tour::Fd moved = std::move(read_end);
    CHECK_FALSE(read_end);
    CHECK(moved.get() == raw);
    moved.close();
    CHECK_FALSE(is_open(raw));
    moved.close();  // a second close is a no-op, not a close of whatever reuses the number
}

TEST_CASE("read_all and write_all move a buffer larger than the pipe, across two processes") {
    auto [read_end, write_end] = tour::make_pipe();
    std::vector<char> sent(1 << 20);  // 1 MiB: a pipe holds 64 KiB, so writes and reads come in pieces
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>(i * 7);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        read_end.close();
        ::_exit(tour::write_all(write_end.get(), sent.data(), sent.size()) ? 0 : 1);
    }
    write_end.close();
    std::vector<char> received(sent.size());
    CHECK(tour::read_all(read_end.get(), received.data(), received.size()));
    CHECK(received == sent);
    char extra = 0;
    CHECK_FALSE(tour::read_all(read_end.get(), &extra, 1));  // end of file: the writer has gone
    CHECK(tour::reap(pid) == 0);
}

TEST_CASE("reap returns the wait status, described for a human") {
    const pid_t exits = ::fork();
    REQUIRE(exits >= 0);
    if (exits == 0) ::_exit(3);
    CHECK(tour::describe_wait_status(tour::reap(exits)) == "exited with status 3");

    const pid_t killed = ::fork();
    REQUIRE(killed >= 0);
    if (killed == 0) {
        ::pause();
        ::_exit(0);
    }
    ::kill(killed, SIGKILL);
    CHECK(tour::describe_wait_status(tour::reap(killed)) == "killed by SIGKILL");
}

TEST_CASE("reaping a process that is not our child is a bug, reported as one") {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) ::_exit(0);
    tour::reap(pid);
    CHECK_THROWS_AS(tour::reap(pid), std::system_error);  // reaped already: ECHILD, never a spin
}

TEST_CASE("thread_count sees the threads of this process") {
    // ThreadSanitizer starts a thread of its own at the first pthread_create: start and join
    // one thread first, so that `before` already counts it.
    std::jthread([] {}).join();
    const std::size_t before = tour::thread_count();
    std::latch started(1), release(1);
    std::jthread other([&] {
        started.count_down();
        release.wait();
    });
    started.wait();
    CHECK(tour::thread_count() == before + 1);
    release.count_down();
}

TEST_CASE("raising the open-file limit never lowers it, and reports the new soft limit") {
    rlimit before{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &before) == 0);
    const std::size_t raised = tour::raise_open_file_limit();
    CHECK(raised >= static_cast<std::size_t>(before.rlim_cur));
    rlimit after{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &after) == 0);
    CHECK(raised == static_cast<std::size_t>(after.rlim_cur));
}
