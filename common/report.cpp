#include "common/report.hpp"

#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <ostream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/output_file.hpp"
#include "common/text.hpp"

namespace tour {
namespace {

double seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

// JSON strings must be valid UTF-8; the JSON library is the judge (dump() refuses anything else).
bool valid_in_json(const std::string& text) {
    try {
        (void)nlohmann::json(text).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

}  // namespace

double seconds_since(Clock::time_point start) { return seconds_between(start, Clock::now()); }

void print_starting(std::ostream& out, std::string_view model, std::size_t site_count) {
    out << "Starting " << model << " download of " << site_count << " sites...\n" << std::flush;
}

void print_finished(std::ostream& out, std::string_view model, std::size_t site_count, double seconds) {
    out << model << " download of " << site_count << " sites - Duration: " << std::fixed
        << std::setprecision(2) << seconds << " seconds\n";
    out.unsetf(std::ios::floatfield);
}

namespace {

struct Counts {
    std::size_t ok = 0, failed = 0, cancelled = 0;
    std::uint64_t bytes = 0;            // of the pages fetched in full
    std::uint64_t bytes_cut_short = 0;  // what arrived of the others before they failed or were cancelled
};

Counts count(const RunReport& report) {
    Counts c;
    for (const FetchResult& r : report.results) {
        if (r.ok()) ++c.ok;
        if (r.failed()) ++c.failed;
        if (r.was_cancelled()) ++c.cancelled;
        (r.ok() ? c.bytes : c.bytes_cut_short) += r.bytes;
    }
    return c;
}

const char* urls_word(std::size_t n) { return n == 1 ? " URL" : " URLs"; }

// Cancellations can be thousands of lines saying the same thing: the first few by name, the
// rest counted (the --json file lists every one).
void print_cancelled(std::ostream& err, const RunReport& report, std::size_t cancelled) {
    constexpr std::size_t named = 10;
    // The words each cancelled URL carries ("(Ctrl-C)", "(fail-fast)"), not --json's names.
    err << report.model << ": stopped " << stop_reason_words(report.stop) << ": " << cancelled << urls_word(cancelled)
        << " cancelled" << (cancelled > 0 ? ":" : "") << '\n';
    std::size_t shown = 0;
    for (const FetchResult& r : report.results) {
        if (!r.was_cancelled() || shown == named) continue;
        err << "  " << printable(r.url) << ": " << printable(r.error, 400) << '\n';
        ++shown;
    }
    if (cancelled > shown) err << "  ... and " << cancelled - shown << " more cancelled\n";
}

}  // namespace

void print_summary(std::ostream& out, std::ostream& err, const RunReport& report) {
    const Counts c = count(report);
    out << c.ok << " ok, " << c.failed << " failed, ";
    if (c.cancelled > 0 || report.stop != StopReason::none) out << c.cancelled << " cancelled, ";
    out << with_thousands(c.bytes) << " bytes";
    // Bytes of a page that did not arrive whole are no page: counted apart, so that "0 ok" never
    // sits beside a large byte count.
    if (c.bytes_cut_short > 0) out << " (and " << with_thousands(c.bytes_cut_short) << " of pages cut short)";
    out << '\n' << std::flush;
    if (c.failed > 0) {
        err << report.model << ": " << c.failed << urls_word(c.failed) << " failed:\n";
        for (const FetchResult& r : report.results) {
            if (r.failed()) err << "  " << printable(r.url) << ": " << printable(r.error, 400) << '\n';
        }
    }
    if (report.stop != StopReason::none || c.cancelled > 0) print_cancelled(err, report, c.cancelled);
    err << std::flush;
}

int exit_status(const RunReport& report, std::size_t url_count) {
    const bool lost = report.results.size() != url_count;
    if (lost) {
        std::cerr << report.model << ": the model returned " << report.results.size() << " results for " << url_count
                  << " URLs\n";
    }
    // A Ctrl-C'd run says so to its shell, whatever its results: a script's `|| exit` notices.
    if (const int status = stop_exit_status(report.stop); status != 0) return status;
    if (lost) return 1;
    for (const FetchResult& r : report.results) {
        if (!r.ok()) return 1;
    }
    return 0;
}

nlohmann::json to_json(const RunReport& report) {
    nlohmann::json records = nlohmann::json::array();
    for (const FetchResult& r : report.results) {
        records.push_back({
            {"url", r.url},
            {"ok", r.ok()},
            {"status", r.ok() ? "ok" : r.was_cancelled() ? "cancelled" : "failed"},
            {"http_status", r.http_status},
            {"bytes", r.bytes},
            {"body_hash", r.body_hash},
            {"worker", r.worker},
            {"start_s", seconds_between(report.run_start, r.start)},
            {"end_s", seconds_between(report.run_start, r.end)},
            {"error", r.error},
        });
        if (!valid_in_json(r.url)) records.back()["url_bytes"] = printable(r.url, r.url.size());
    }
    const Counts c = count(report);
    return {
        {"model", report.model},
        {"workers", report.workers},
        {"sites", report.results.size()},
        {"ok", c.ok},
        {"failed", c.failed},
        {"cancelled", c.cancelled},
        {"stop_reason", report.stop == StopReason::none ? nlohmann::json(nullptr)
                                                        : nlohmann::json(stop_reason_name(report.stop))},
        {"bytes", c.bytes},
        {"bytes_cut_short", c.bytes_cut_short},
        {"seconds", report.seconds},
        {"results", std::move(records)},
    };
}

void write_json(const std::filesystem::path& path, const RunReport& report) { write_json_file(path, to_json(report)); }

void write_json_file(const std::filesystem::path& path, const nlohmann::json& document) {
    // error_handler_t::replace: a string that is not UTF-8 is written with U+FFFD instead of
    // throwing "invalid UTF-8 byte" (which used to cost the whole report).
    write_file(path, document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
}

Progress::Progress(std::size_t total, bool enabled) : total_(total), enabled_(enabled) {}

Progress Progress::for_terminal(std::size_t total) { return Progress(total, isatty(STDERR_FILENO) == 1); }

void Progress::completed(const FetchResult& result) {
    const std::size_t done = done_.fetch_add(1) + 1;  // atomic: many threads may finish at once
    if (fail_fast_ != nullptr && result.failed()) fail_fast_->request(StopReason::fail_fast);
    if (!enabled_) return;
    // One writer at a time, so two threads' lines never mix into one.
    std::lock_guard lock(print_mutex_);
    std::cerr << "\r[" << done << '/' << total_ << "] " << (result.ok() ? "ok   " : result.was_cancelled() ? "STOP " : "FAIL ")
              << printable(result.url, 60) << "\x1b[K" << std::flush;
}

void Progress::finish() {
    if (!enabled_) return;
    std::lock_guard lock(print_mutex_);
    std::cerr << "\r\x1b[K" << std::flush;
}

}  // namespace tour
