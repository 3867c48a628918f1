// Exercise 3.1, solved: flush before fork, and _exit (after flushing its own line) in the child.
#include "double_output.hpp"

#include <cstdlib>

#include <unistd.h>

#include "common/posix.hpp"

namespace exercise {

int greet_from_child(std::FILE* out) {
    std::fprintf(out, "parent: starting\n");
    // Empty the buffer before fork: the child then inherits an empty one, and the line is
    // written once, by the parent.
    std::fflush(out);
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        std::fprintf(out, "child: done\n");
        // _exit() ends the process at once: no atexit handlers, no static destructors, and no
        // flushing. So the child flushes what it wrote itself, and nothing else.
        std::fflush(out);
        _exit(0);
    }
    const int status = tour::reap(pid);  // waits; EINTR retried, and a lost child is an error, not a hang
    std::fprintf(out, "parent: done\n");
    return status;
}

}  // namespace exercise
