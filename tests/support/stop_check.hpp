// Test support for stopping work (a deadline, Ctrl-C, SIGTERM, --fail-fast): the checks every download program must pass, run
// against a program this build made. Each check starts its own simulator whose 40 pages take 2 s
// each (`?delay_ms=2000`), runs the program on them with --urls, --json and the target's own
// arguments (its model and 8 workers), and checks from the exit status, the --json file and the
// simulator's counters (/__stats):
//
//   check_deadline_stop    --deadline 1: exit 1 within a generous bound; --json accounts for all 40
//                          (each URL once, ok + failed + cancelled == 40, here all 40 cancelled
//                          "(deadline)"); the server saw only the first `started` requests, and
//                          soon after the exit has nothing in flight and no connection open.
//   check_signal_stop      SIGINT (to the pid, or to its process group as a terminal's Ctrl-C
//                          does) or SIGTERM at 1 s: the same, with exit 130 / 143, the partial
//                          report on stdout and the stop on stderr.
//   check_second_signal    a second stop signal while the first stop is under way (a second
//                          SIGINT, or SIGTERM found pending with the SIGINT): the program dies
//                          by it at once, no report, and the server is quiet after it.
//   check_fail_fast        --fail-fast with a reset URL first: exit 1 within a generous bound,
//                          the reset URL failed, the other 39 cancelled "(fail-fast)".
//   check_mid_body_stop    pages that drip their body (fault=slowbody), --deadline 1: every
//                          transfer is cancelled mid-body (its bytes > 0), the server is quiet.
//
// One TEST_CASE per check (and signal), so that CTest runs them apart, each with its own time limit.
// The bounds are generous (the CI machine is slow, and sanitizers slower); speed belongs to the
// stop-latency benchmark. Under ASan/TSan the bounds grow (stop_slack()).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tour_test {

struct StopTarget {
    std::filesystem::path program;  // build_path("02_threads/02_threads")
    std::vector<std::string> args;  // its model and workers: {"--workers", "8"}
    // Requests in flight while the program runs on 2-second pages: 8 for 8 workers, 1 for serial.
    // The checks wait for this many before they signal, and the server must have seen no more.
    int started = 8;
};

// 1 without sanitizers, more with them: multiply a time bound by this.
double stop_slack();

void check_deadline_stop(const StopTarget& target);
void check_signal_stop(const StopTarget& target, int signal, bool to_group);
void check_second_signal(const StopTarget& target);
void check_fail_fast(const StopTarget& target);
void check_mid_body_stop(const StopTarget& target);

}  // namespace tour_test
