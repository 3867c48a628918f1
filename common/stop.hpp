// Stopping a run: a deadline, Ctrl-C (SIGINT), SIGTERM, or the first failure (--fail-fast).
//
// One RunStop per run says "stop" and why; every model asks it (or its std::stop_token) before
// it starts a request, and libcurl's progress callback asks it during a transfer (fetch.hpp).
// The signals and the deadline reach it through a StopWatcher (the thread-based programs) or a
// StopSignals polled by a program's own loop.
//
// The signal rule: a signal handler may only call async-signal-safe functions (no malloc, no
// locks, no curl, no std::cout), because it interrupts a thread at any instruction, perhaps one
// holding the very lock it would take. So the tour installs no handler at all: SIGINT and
// SIGTERM are *blocked* and read as data from a signalfd by ordinary code, which may do anything.
// The second signal ends the process at once (die_by, common/posix.hpp): a stop that hangs must
// never leave the user without a way out.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>

#include "common/posix.hpp"

namespace tour {

enum class StopReason {
    none,         // not stopped
    deadline,     // --deadline passed
    interrupted,  // SIGINT (Ctrl-C)
    terminated,   // SIGTERM
    fail_fast,    // --fail-fast: a URL failed
};

// For --json: "deadline", "interrupted", "terminated", "fail_fast" ("none" for none).
std::string_view stop_reason_name(StopReason reason);

// For a person: "(deadline)", "(Ctrl-C)", "(SIGTERM)", "(fail-fast)" ("" for none). What the
// report's "stopped ..." line and every cancelled URL say.
std::string_view stop_reason_words(StopReason reason);

// "cancelled " + stop_reason_words(reason): the error text of every URL a stop cost, in every
// model.
std::string cancelled_text(StopReason reason);

// The exit status a run stopped for `reason` ends with, whatever its results: 130 (128 + SIGINT)
// and 143 (128 + SIGTERM) as a shell expects of an interrupted program; 0 otherwise (the
// results decide: exit_status in common/report.hpp).
int stop_exit_status(StopReason reason);

// After a stop by SIGINT or SIGTERM: once main has returned (its clean-up done, the report
// written), end the process by that signal (die_by_at_exit, common/posix.hpp). A shell's `$?`
// is 130 either way, but bash goes on with a `for` loop around a program that merely *exited*
// 130, taking it to have handled the Ctrl-C itself. For any other reason: nothing.
void end_by_stop_signal_at_exit(StopReason reason);

// The one stop of a run, shared by every thread of it. request() may be called from any thread,
// any number of times: the first reason wins (a deadline that passes while a Ctrl-C stop is
// under way does not relabel the URLs), and the std::stop_source is asked to stop once.
class RunStop {
public:
    RunStop() = default;
    RunStop(const RunStop&) = delete;
    RunStop& operator=(const RunStop&) = delete;

    // True when this call was the first (its reason is the run's).
    bool request(StopReason reason);
    StopReason reason() const { return reason_.load(); }
    bool stop_requested() const { return source_.stop_requested(); }
    // For std::stop_callback, std::condition_variable_any::wait(lock, token, ...), and the
    // models that pass a plain token around.
    std::stop_token token() const { return source_.get_token(); }

private:
    // The reason is stored before the source is asked to stop, so whoever sees the token
    // stopped also sees why.
    std::atomic<StopReason> reason_{StopReason::none};
    std::stop_source source_;
};

// SIGINT and SIGTERM: the signals every download program stops for.
sigset_t stop_signal_set();

// SIGINT and SIGTERM as data. The constructor blocks both in the calling thread, which must be
// the process's only one (the mask is per thread, and a thread started later inherits it: so
// every thread of the run has them blocked and none can be interrupted by them), and opens a
// signalfd that is readable while one is pending. Children started with tour::spawn get the
// default mask back; a fork()ed child inherits the blocked mask and must unblock the two itself.
// The destructor closes the fd and unblocks both in the calling thread: a signal still pending
// then acts as it would have without us (the program ends by it).
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Readable when a signal is pending: poll it beside what you wait for.
    int fd() const { return fd_.get(); }
    // Read every pending signal: the first asks `stop` to stop (interrupted or terminated); any
    // later one ends the process by that signal at once (die_by). Never blocks.
    void handle(RunStop& stop);

private:
    Fd fd_;
    int received_ = 0;  // signals read so far
};

// What the thread-based programs use (01, 02): blocks the signals (see StopSignals; construct it
// in main while that is the only thread) and starts one std::jthread that waits in poll() for a
// signal, for the deadline (poll's timeout) or for the destructor, and turns the first two into
// stop.request(...). `deadline` counts from construction; nullopt: none. The destructor ends the
// thread (its stop_token wakes the poll through an eventfd) and joins it, then unblocks the
// signals: construct it just before the run starts and let it live until the report is written.
class StopWatcher {
public:
    StopWatcher(RunStop& stop, std::optional<std::chrono::steady_clock::duration> deadline);
    ~StopWatcher();
    StopWatcher(const StopWatcher&) = delete;
    StopWatcher& operator=(const StopWatcher&) = delete;

private:
    void watch(std::stop_token done);

    RunStop& stop_;
    StopSignals signals_;
    std::optional<std::chrono::steady_clock::time_point> deadline_;
    Fd wake_;             // eventfd: written when the watcher should end
    std::jthread thread_;  // last: starts after everything it uses exists
};

}  // namespace tour
