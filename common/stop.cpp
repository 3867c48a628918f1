#include "common/stop.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <system_error>

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace tour {
namespace {

[[noreturn]] void throw_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

sigset_t stop_signal_set() { return signal_set({SIGINT, SIGTERM}); }

std::string_view stop_reason_name(StopReason reason) {
    switch (reason) {
        case StopReason::none: return "none";
        case StopReason::deadline: return "deadline";
        case StopReason::interrupted: return "interrupted";
        case StopReason::terminated: return "terminated";
        case StopReason::fail_fast: return "fail_fast";
    }
    return "none";
}

std::string_view stop_reason_words(StopReason reason) {
    switch (reason) {
        case StopReason::deadline: return "(deadline)";
        case StopReason::interrupted: return "(Ctrl-C)";
        case StopReason::terminated: return "(SIGTERM)";
        case StopReason::fail_fast: return "(fail-fast)";
        case StopReason::none: break;
    }
    return "";
}

std::string cancelled_text(StopReason reason) {
    const std::string_view words = stop_reason_words(reason);
    return words.empty() ? "cancelled" : "cancelled " + std::string(words);
}

int stop_exit_status(StopReason reason) {
    if (reason == StopReason::interrupted) return 128 + SIGINT;
    if (reason == StopReason::terminated) return 128 + SIGTERM;
    return 0;
}

void end_by_stop_signal_at_exit(StopReason reason) {
    if (const int status = stop_exit_status(reason); status != 0) die_by_at_exit(status - 128);
}

bool RunStop::request(StopReason reason) {
    StopReason expected = StopReason::none;
    if (reason == StopReason::none || !reason_.compare_exchange_strong(expected, reason)) return false;
    source_.request_stop();
    return true;
}

StopSignals::StopSignals() {
    const sigset_t set = stop_signal_set();
    if (::pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) throw_errno("pthread_sigmask");
    fd_ = Fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd_) throw_errno("signalfd");
}

StopSignals::~StopSignals() {
    fd_.close();
    const sigset_t set = stop_signal_set();
    ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

// [docs:handle_signals]
void StopSignals::handle(RunStop& stop) {
    signalfd_siginfo info{};
    while (::read(fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        const int signal = static_cast<int>(info.ssi_signo);
        // The second one: whatever the first stop is waiting for, the user wants out now.
        if (++received_ > 1) die_by(signal);
        stop.request(signal == SIGINT ? StopReason::interrupted : StopReason::terminated);
    }
}
// [/docs:handle_signals]

StopWatcher::StopWatcher(RunStop& stop, std::optional<std::chrono::steady_clock::duration> deadline)
    : stop_(stop), wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!wake_) throw_errno("eventfd");
    if (deadline) deadline_ = std::chrono::steady_clock::now() + *deadline;
    thread_ = std::jthread([this](std::stop_token done) { watch(std::move(done)); });
}

// The jthread's destructor asks its stop_token to stop, which runs the stop_callback in watch()
// (waking the poll), and joins; then signals_' destructor unblocks the signals.
StopWatcher::~StopWatcher() = default;

// [docs:watch]
void StopWatcher::watch(std::stop_token done) {
    // An eventfd is a counter the kernel can poll: a write makes it readable.
    const std::stop_callback wake(done, [this] {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = ::write(wake_.get(), &one, sizeof one);
    });
    pollfd fds[2] = {{signals_.fd(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    while (!done.stop_requested()) {
        int timeout_ms = -1;  // no deadline (or it has passed): wait for a signal or the end
        if (deadline_) {
            const auto left = *deadline_ - std::chrono::steady_clock::now();
            timeout_ms = static_cast<int>(std::max<long long>(
                0, std::chrono::ceil<std::chrono::milliseconds>(left).count()));
        }
        const int ready = ::poll(fds, 2, timeout_ms);
        if (ready < 0 && errno != EINTR) throw_errno("poll");  // std::terminate: cannot happen with valid fds
        if (ready > 0 && (fds[0].revents & POLLIN) != 0) signals_.handle(stop_);
        if (deadline_ && std::chrono::steady_clock::now() >= *deadline_) {
            stop_.request(StopReason::deadline);
            deadline_.reset();  // once
        }
    }
}
// [/docs:watch]

}  // namespace tour
