// What every program prints: the Python demo's two lines, a summary, and every failure.
//
//   Starting Serial download of 80 sites...
//   Serial download of 80 sites - Duration: 12.04 seconds
//
// Only the report goes to stdout; progress and failures go to stderr.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/fetch.hpp"
#include "common/input_error.hpp"  // what write_json_file throws

namespace tour {

struct RunReport {
    std::string model;                 // "Serial", "Threads", ...
    int workers = 1;                   // concurrency the model ran with
    Clock::time_point run_start{};     // the clock started here (after set-up)
    double seconds = 0;                // wall time of the model's run
    std::vector<FetchResult> results;  // one per URL, in input order
    StopReason stop = StopReason::none;  // why the run was stopped early (RunStop::reason()), if it was
};

// Seconds from `start` until now, on the steady clock.
double seconds_since(Clock::time_point start);

void print_starting(std::ostream& out, std::string_view model, std::size_t site_count);
void print_finished(std::ostream& out, std::string_view model, std::size_t site_count,
                    double seconds);

// "80 ok, 0 failed, 5,123,456 bytes" on `out` ("40 ok, 1 failed, 39 cancelled, ..." after a
// stop); on `err`, under "Serial: 3 URLs failed:", each failure "  URL: reason" (both made
// printable: they may come from a hostile file or server), then the stop and its cancelled URLs
// ("Serial: stopped (deadline): 39 URLs cancelled:"), the first 10 by name and the rest counted
// (--json has every one).
void print_summary(std::ostream& out, std::ostream& err, const RunReport& report);

// The exit status of every download program: 130 or 143 when a SIGINT or SIGTERM stopped the
// run (stop_exit_status in common/stop.hpp; with end_by_stop_signal_at_exit the process then
// ends by that signal); else 0 when each of the `url_count` URLs has a
// result and every one was fetched; 1 when any failed or was cancelled (a deadline, fail-fast),
// or when the model lost results (a bug in the model, said on stderr rather than reported as
// success).
int exit_status(const RunReport& report, std::size_t url_count);

// Machine-readable form: one record per URL (times in seconds since run_start; "status" is
// "ok", "failed" or "cancelled") plus totals ("ok", "failed", "cancelled", "bytes" of the pages
// fetched in full, "bytes_cut_short" of the others, and "stop_reason": stop_reason_name, or null
// when the run was not stopped). A
// URL that is not valid UTF-8 (JSON strings must be) also gets "url_bytes": its bytes with the
// invalid ones escaped as \xNN, so nothing is lost; in "url" they become U+FFFD.
nlohmann::json to_json(const RunReport& report);
void write_json(const std::filesystem::path& path, const RunReport& report);

// Write `document` to `path` whole or not at all (write_file, common/output_file.hpp). Bytes that are not UTF-8
// are written as U+FFFD, never an exception: the output is always valid JSON.
void write_json_file(const std::filesystem::path& path, const nlohmann::json& document);


// "[37/80]" progress on stderr, only when stderr is a terminal. Safe to call from any thread:
// the count is atomic and the printing is serialised by a mutex, so lines never interleave.
// Every model calls completed() once per URL, as each result is known, which makes it the one
// place --fail-fast needs: after stop_on_failure(stop), the first failed (not cancelled) result
// asks `stop` to stop (StopReason::fail_fast).
class Progress {
public:
    Progress(std::size_t total, bool enabled);
    static Progress for_terminal(std::size_t total);  // enabled when stderr is a tty
    void stop_on_failure(RunStop& stop) { fail_fast_ = &stop; }  // before the run starts
    void completed(const FetchResult& result);
    void finish();  // ends the progress line
    std::size_t done() const { return done_.load(); }

private:
    std::size_t total_;
    bool enabled_;
    RunStop* fail_fast_ = nullptr;  // RunStop::request is thread-safe
    std::atomic<std::size_t> done_{0};
    std::mutex print_mutex_;
};

}  // namespace tour
