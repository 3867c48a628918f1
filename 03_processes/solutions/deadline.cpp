// Exercise 3.2, solved with a pipe: the child holds the only write end, so the parent's read
// end reports end of file the moment the child ends, and poll() waits for that with a timeout.
#include "deadline.hpp"

#include <cerrno>
#include <csignal>

#include <poll.h>
#include <unistd.h>

#include "common/posix.hpp"  // tour::reap, tour::make_pipe, tour::Fd: the toolbox chapter 3 uses

namespace exercise {

Outcome run_with_deadline(void (*work)(), std::chrono::milliseconds deadline) {
    auto [read_end, write_end] = tour::make_pipe();
    const pid_t pid = fork();
    if (pid < 0) return {};
    if (pid == 0) {
        read_end.close();  // keep only the write end: it closes when this process ends
        work();
        _exit(0);
    }
    write_end.close();  // now only the child holds a write end

    const auto until = std::chrono::steady_clock::now() + deadline;
    bool ended = false;
    for (;;) {
        // Round up: poll() takes whole milliseconds, and 0.6 ms left must not become 0.
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{read_end.get(), POLLIN, 0};
        const int ready = poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) continue;  // timed out: the loop ends once no time is left
        ended = ready > 0;         // POLLHUP: the write end is closed, the child has ended
        break;
    }

    Outcome outcome;
    if (!ended) {
        kill(pid, SIGKILL);  // a no-op if it ended in the very last moment; reaped either way
        outcome.killed = true;
    }
    outcome.status = tour::reap(pid);  // EINTR retried; a pid that is not our child throws
    outcome.ended = ended;
    return outcome;
}

}  // namespace exercise
