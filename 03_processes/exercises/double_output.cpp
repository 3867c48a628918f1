// Exercise 3.1: the line that is printed twice.
//
// `out` is a FILE* on a file or a pipe, so stdio buffers it fully: fprintf only copies the
// text into a buffer in this process's memory, and the bytes reach the file when the buffer
// is flushed (fflush, fclose, a full buffer, or exit()). fork() copies that buffer too.
//
// Run the check (./tour.sh check ch03 double_output) and read what the file got. Then fix it.
// Two TODOs; both are needed. One hint at a time: ./tour.sh hint ch03 double_output
#include "double_output.hpp"

#include <cstdlib>

#include <unistd.h>

#include "common/posix.hpp"

namespace exercise {

int greet_from_child(std::FILE* out) {
    std::fprintf(out, "parent: starting\n");
    // TODO 1: the child will get a copy of everything still in `out`'s buffer. Make sure
    // there is nothing left in it to copy.
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        std::fprintf(out, "child: done\n");
        // TODO 2: exit() runs atexit handlers and flushes every stdio buffer of this process,
        // including the copies it inherited. End the child the way a forked child should; and
        // make sure its own line is still written (what does that way of ending NOT do?).
        std::exit(0);
    }
    const int status = tour::reap(pid);  // waits; EINTR retried, and a lost child is an error, not a hang
    std::fprintf(out, "parent: done\n");
    return status;
}

}  // namespace exercise
