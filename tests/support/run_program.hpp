// Test support: run a program, capture its stdout/stderr and exit status, with a time limit.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <utility>
#include <string>
#include <vector>

#include <sys/types.h>

#include "common/fetch.hpp"

namespace tour_test {

struct ProgramRun {
    int exit_code = -1;       // -1 if killed by a signal
    int signal = 0;           // the signal that ended it, if any
    bool timed_out = false;   // the test killed it (SIGKILL) after the limit
    std::string out;
    std::string err;
};

// posix_spawn `program` with `args`; kill it after `limit`. Always reaps the child. While it runs,
// `meanwhile(pid)` (if given) runs on a thread of its own, e.g. to signal the program's children;
// the child is reaped only after `meanwhile` returned, so its pid stays valid for kill() there.
// With `own_group`, the child leads a process group of its own (pgid == pid), so that
// kill(-pid, SIGINT) reaches it and its children the way a terminal's Ctrl-C does.
ProgramRun run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                       std::chrono::seconds limit = std::chrono::seconds(120),
                       const std::function<void(pid_t)>& meanwhile = {}, bool own_group = false);

// The processes whose parent is `parent`, with their command names (/proc/PID/comm).
std::vector<std::pair<pid_t, std::string>> children_of(pid_t parent);

// Is `signal` pending for the whole process `pid` (the ShdPnd mask of /proc/PID/status)? A
// second signal sent while the first is still pending merges with it: wait until it is not.
bool signal_pending(pid_t pid, int signal);
// Does `pid`'s main thread block `signal` (the SigBlk mask)?
bool signal_blocked(pid_t pid, int signal);
// Has `pid` taken `signal` over from its default action: blocked (a signalfd reads it) or caught
// by a handler (the SigCgt mask, as asio::signal_set's)? Until then the signal would end it.
bool signal_handled(pid_t pid, int signal);
// The state letter of `pid` in /proc/PID/status: 'R' running, 'S' sleeping, 'T' stopped (SIGSTOP),
// 'Z' a zombie (ended, not yet reaped), ...; '\0' when there is no such process.
char process_state(pid_t pid);

// Calls `condition` until it is true or `give_up` has passed, `step` apart (zero: no sleep, for a
// race measured in microseconds); returns its last answer. For bounded waits on another process.
bool poll_until(const std::function<bool()>& condition, std::chrono::steady_clock::time_point give_up,
                std::chrono::microseconds step = std::chrono::milliseconds(1));

// `text` contains `piece`.
inline bool contains(const std::string& text, const std::string& piece) { return text.find(piece) != std::string::npos; }

// Path of a program this build made, e.g. build_path("01_serial/01_serial").
std::filesystem::path build_path(const std::string& relative);

// A scratch file that is removed when the object goes away.
class TempFile {
public:
    explicit TempFile(const std::string& contents, const std::string& suffix = ".txt");
    ~TempFile();
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// The bytes of the simulator's first `count` sites (sitesim::site_path(0), ...) with this seed
// and mean latency: what a run that fetched them all must report.
std::uint64_t expected_bytes(std::uint64_t seed, int latency_ms, std::size_t count);

// Say that this test case cannot run here, and why, then return from it: CTest reports the case
// as skipped, not passed (tour_add_test sets SKIP_REGULAR_EXPRESSION to this line's prefix).
void skip_test(const std::string& reason);
inline constexpr const char* skip_marker = "TOUR-TEST-SKIPPED: ";

// tour::BodyHash of the simulator's body for `path` (no query) with `bytes` bytes.
std::uint64_t expected_hash(const std::string& path, std::size_t bytes);

// The path part of a URL ("http://127.0.0.1:1234/site/3?x=1" -> "/site/3").
std::string path_of(const std::string& url);

// One process-wide curl_global_init for test programs (doctest runs test cases in one
// process); call at the start of every test that uses curl.
void ensure_curl_global();

}  // namespace tour_test
