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

void print_summary(std::ostream& out, std::ostream& err, const RunReport& report) {
    std::size_t ok = 0;
    std::uint64_t bytes = 0;
    for (const FetchResult& r : report.results) {
        if (r.ok()) ++ok;
        bytes += r.bytes;
    }
    const std::size_t failed = report.results.size() - ok;
    out << ok << " ok, " << failed << " failed, " << with_thousands(bytes) << " bytes\n" << std::flush;
    if (failed == 0) return;
    err << report.model << ": " << failed << (failed == 1 ? " URL" : " URLs") << " failed:\n";
    for (const FetchResult& r : report.results) {
        if (!r.ok()) err << "  " << printable(r.url) << ": " << printable(r.error, 400) << '\n';
    }
    err << std::flush;
}

int exit_status(const RunReport& report, std::size_t url_count) {
    if (report.results.size() != url_count) {
        std::cerr << report.model << ": the model returned " << report.results.size() << " results for " << url_count
                  << " URLs\n";
        return 1;
    }
    for (const FetchResult& r : report.results) {
        if (!r.ok()) return 1;
    }
    return 0;
}

nlohmann::json to_json(const RunReport& report) {
    nlohmann::json records = nlohmann::json::array();
    std::size_t ok = 0;
    std::uint64_t bytes = 0;
    for (const FetchResult& r : report.results) {
        records.push_back({
            {"url", r.url},
            {"ok", r.ok()},
            {"http_status", r.http_status},
            {"bytes", r.bytes},
            {"body_hash", r.body_hash},
            {"worker", r.worker},
            {"start_s", seconds_between(report.run_start, r.start)},
            {"end_s", seconds_between(report.run_start, r.end)},
            {"error", r.error},
        });
        if (!is_utf8(r.url)) records.back()["url_bytes"] = printable(r.url, r.url.size());
        if (r.ok()) ++ok;
        bytes += r.bytes;
    }
    return {
        {"model", report.model},
        {"workers", report.workers},
        {"sites", report.results.size()},
        {"ok", ok},
        {"failed", report.results.size() - ok},
        {"bytes", bytes},
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
    if (!enabled_) return;
    // One writer at a time, so two threads' lines never mix into one.
    std::lock_guard lock(print_mutex_);
    std::cerr << "\r[" << done << '/' << total_ << "] " << (result.ok() ? "ok   " : "FAIL ")
              << printable(result.url, 60) << "\x1b[K" << std::flush;
}

void Progress::finish() {
    if (!enabled_) return;
    std::lock_guard lock(print_mutex_);
    std::cerr << "\r\x1b[K" << std::flush;
}

}  // namespace tour
