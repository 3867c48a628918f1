// Exercise 3.2: a worker that hangs past a deadline. See docs/03-processes.md.
#pragma once

#include <chrono>

namespace exercise {

struct Outcome {
    bool ended = false;       // the child ended on its own before the deadline...
    int status = 0;           // ...with this wait status (WIFEXITED, WEXITSTATUS...)
    bool killed = false;      // or it was still running at the deadline and we killed it
};

// Forks a child that runs `work()` and then _exit(0)s. Waits at most `deadline` for it; if it
// is still running then, kills it with SIGKILL. Either way the child is reaped before this
// returns: no zombie, no orphan.
Outcome run_with_deadline(void (*work)(), std::chrono::milliseconds deadline);

}  // namespace exercise
