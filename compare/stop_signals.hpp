// Ctrl-C and SIGTERM for compare. With their default action compare would die on the spot and
// leave its launcher, the model it is running and its scratch directory behind. So compare
// blocks both and receives them as data on a signalfd instead: the flow notices (while it
// waits for a model, or between its steps), stops the running model, lets every destructor run
// (the launcher is reaped, the simulator stopped, the scratch directory removed), and then ends
// by the same signal, so a shell sees what it expects of a program that was interrupted (130
// for SIGINT, 143 for SIGTERM) and a script's loop stops too.
#pragma once

#include <stdexcept>

#include "common/posix.hpp"

namespace compare {

// Thrown where compare notices a stop signal; main catches it after the clean-up.
struct Interrupted : std::runtime_error {
    explicit Interrupted(int signal);
    int signal;
};

class StopSignals {
public:
    // Blocks SIGINT and SIGTERM in this process, which must have one thread (the mask is per
    // thread), before it starts any child: the launcher inherits the mask (tour::spawn gives
    // the programs it starts the default one back).
    StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Readable when a signal is pending: poll it beside what you wait for.
    int fd() const { return fd_.get(); }
    // Throws Interrupted when SIGINT or SIGTERM has arrived.
    void throw_if_received() const;
    // Ends the process by `signal`: its default action restored, unblocked, raised.
    [[noreturn]] static void die_by(int signal);

private:
    tour::Fd fd_;
};

}  // namespace compare
