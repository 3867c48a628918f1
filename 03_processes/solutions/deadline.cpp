// Exercise 3.2, solved with a pipe: the child holds the only write end, so the parent's read
// end reports end of file the moment the child ends, and poll() waits for that with a timeout.
#include "deadline.hpp"

#include <cerrno>
#include <csignal>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace exercise {
namespace {

int reap(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

}  // namespace

Outcome run_with_deadline(void (*work)(), std::chrono::milliseconds deadline) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) return {};
    const pid_t pid = fork();
    if (pid < 0) {
        close(ends[0]);
        close(ends[1]);
        return {};
    }
    if (pid == 0) {
        close(ends[0]);  // keep only the write end: it closes when this process ends
        work();
        _exit(0);
    }
    close(ends[1]);  // now only the child holds a write end

    const auto until = std::chrono::steady_clock::now() + deadline;
    bool ended = false;
    for (;;) {
        // Round up: poll() takes whole milliseconds, and 0.6 ms left must not become 0.
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{ends[0], POLLIN, 0};
        const int ready = poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) continue;  // timed out: the loop ends once no time is left
        ended = ready > 0;         // POLLHUP: the write end is closed, the child has ended
        break;
    }
    close(ends[0]);

    Outcome outcome;
    if (!ended) {
        kill(pid, SIGKILL);  // a no-op if it ended in the very last moment; reaped either way
        outcome.killed = true;
    }
    outcome.status = reap(pid);
    outcome.ended = ended;
    return outcome;
}

}  // namespace exercise
