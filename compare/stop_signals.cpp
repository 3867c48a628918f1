#include "stop_signals.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/posix.hpp"

namespace compare {
Interrupted::Interrupted(int signal)
    : std::runtime_error("interrupted by signal " + std::to_string(signal)),
      signal(signal) {}

StopSignals::StopSignals() {
    const sigset_t set = tour::signal_set({SIGINT, SIGTERM, SIGHUP, SIGQUIT});  // the signals compare stops for
    if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0) throw std::system_error(errno, std::generic_category(), "sigprocmask");
    fd_ = tour::Fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd_) throw std::system_error(errno, std::generic_category(), "signalfd");
}

bool StopSignals::stopping() {
    signalfd_siginfo info{};
    while (::read(fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        if (first_ != 0) throw Interrupted(first_);  // the second: end now, by the first's signal
        first_ = static_cast<int>(info.ssi_signo);
    }
    return first_ != 0;
}

void StopSignals::die_by(int signal) {
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    tour::die_by(signal);
}

std::string signal_words(int signal) {
    switch (signal) {
        case SIGINT: return "Ctrl-C";
        case SIGQUIT: return "Ctrl-\\";
        case SIGHUP: return "SIGHUP (the terminal was closed)";
        default: {
            const char* abbrev = ::sigabbrev_np(signal);
            return abbrev ? "SIG" + std::string(abbrev) : "signal " + std::to_string(signal);
        }
    }
}

}  // namespace compare
