#include "common/report.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <ostream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/url_list.hpp"

namespace tour {
namespace {

std::string with_thousands(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

}  // namespace

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
    err << failed << (failed == 1 ? " URL" : " URLs") << " failed:\n";
    for (const FetchResult& r : report.results) {
        if (!r.ok()) err << "  " << r.url << ": " << r.error << '\n';
    }
    err << std::flush;
}

int exit_status(const std::vector<FetchResult>& results) {
    for (const FetchResult& r : results) {
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
            {"body_fnv1a", r.body_hash},
            {"worker", r.worker},
            {"start_s", seconds_between(report.run_start, r.start)},
            {"end_s", seconds_between(report.run_start, r.end)},
            {"error", r.error},
        });
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

void write_json(const std::filesystem::path& path, const RunReport& report) {
    std::ofstream out(path);
    if (!out) throw InputError(path.string() + ": cannot be written");
    out << to_json(report).dump(2) << '\n';
    if (!out.flush()) throw InputError(path.string() + ": write failed");
}

Progress::Progress(std::size_t total, bool enabled) : total_(total), enabled_(enabled) {}

Progress Progress::for_terminal(std::size_t total) { return Progress(total, isatty(STDERR_FILENO) == 1); }

void Progress::completed(const FetchResult& result) {
    const std::size_t done = done_.fetch_add(1) + 1;  // atomic: many threads may finish at once
    if (!enabled_) return;
    // One writer at a time, so two threads' lines never mix into one.
    std::lock_guard lock(print_mutex_);
    std::cerr << "\r[" << done << '/' << total_ << "] " << (result.ok() ? "ok   " : "FAIL ")
              << result.url.substr(0, 60) << "\x1b[K" << std::flush;
}

void Progress::finish() {
    if (!enabled_) return;
    std::lock_guard lock(print_mutex_);
    std::cerr << "\r\x1b[K" << std::flush;
}

}  // namespace tour
