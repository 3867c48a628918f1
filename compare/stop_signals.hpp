// Ctrl-C, SIGTERM, SIGHUP (the terminal was closed) and SIGQUIT (Ctrl-\) for compare. With their
// default action compare would die on the spot and leave its launcher, the model it is running
// and its scratch directory behind, and print nothing of the models that had run. So compare
// blocks all four and receives them as data on a signalfd instead.
//
// The first one is a graceful stop, as in every download program: the model that is running is
// asked to stop (compare relays the signal to it: see Launcher), its report kept, the table
// printed for the models that ran, and no further model started. A second one ends compare at
// once: the running model is killed. Either way every destructor runs (the launcher is reaped,
// the simulator stopped, the scratch directory removed), and compare then ends by the first
// signal, so a shell sees what it expects of a program that was interrupted (130 for SIGINT, 143
// for SIGTERM, 129 for SIGHUP, 131 for SIGQUIT) and a script's loop stops too.
#pragma once

#include <stdexcept>
#include <string>

#include "common/posix.hpp"

namespace compare {

// Thrown where compare notices a stop signal; main catches it after the clean-up.
struct Interrupted : std::runtime_error {
    explicit Interrupted(int signal);
    int signal;
};

// Not tour::StopSignals (common/stop.hpp): compare also stops for SIGHUP and SIGQUIT, and it
// stops by not starting the next model rather than through a RunStop.
class StopSignals {
public:
    // Blocks the stop signals in this process, which must have one thread (the mask is per
    // thread), before it starts any child: the launcher inherits the mask (tour::spawn gives
    // the programs it starts the default one back).
    StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Readable when a signal is pending: poll it beside what you wait for.
    int fd() const { return fd_.get(); }
    // Reads every pending stop signal. The first is remembered (first()) and makes this true
    // from then on: finish what runs, start nothing new. A second throws Interrupted: end now.
    bool stopping();
    // The first stop signal received (0: none yet).
    int first() const { return first_; }
    // Ends the process by `signal` (tour::die_by), without a core file for SIGQUIT: the clean-up
    // has run, a core of it would show nothing.
    [[noreturn]] static void die_by(int signal);

private:
    tour::Fd fd_;
    int first_ = 0;
};

// For a person: "Ctrl-C", "SIGTERM", "SIGHUP (the terminal was closed)", "Ctrl-\\".
std::string signal_words(int signal);

}  // namespace compare
