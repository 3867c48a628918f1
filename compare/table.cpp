#include "table.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace compare {

std::vector<Row> make_rows(const std::vector<ModelRun>& runs) {
    // Speed-ups compare complete runs only: a run that failed some pages did less work (0 of 5
    // ok used to show "1.8x"), and a failed serial run is no baseline.
    auto complete = [](const ModelRun& run) {
        if (!run.failure.empty()) return false;
        for (const auto& record : run.report.at("results")) {
            if (!record.at("ok").get<bool>()) return false;
        }
        return true;
    };
    std::optional<double> serial_seconds;
    for (const auto& run : runs) {
        if (run.model.key == "serial" && complete(run)) serial_seconds = run.report.at("seconds").get<double>();
    }
    std::vector<Row> rows;
    for (const auto& run : runs) {
        Row row;
        row.model = run.model.label;
        row.workers = run.report.at("workers").get<int>();
        // Counted from the per-URL records, not copied from the program's own totals.
        for (const auto& record : run.report.at("results")) {
            const bool ok = record.at("ok").get<bool>();
            const std::string status = record.value("status", ok ? "ok" : "failed");
            (ok ? row.ok : status == "cancelled" ? row.cancelled : row.failed) += 1;
        }
        if (const auto reason = run.report.find("stop_reason"); reason != run.report.end() && reason->is_string()) {
            row.stop_reason = reason->get<std::string>();
        }
        row.seconds = run.report.at("seconds").get<double>();
        if (serial_seconds && row.seconds > 0 && complete(run)) row.speedup = *serial_seconds / row.seconds;
        row.ideal_seconds = run.ideal_seconds;
        row.peak_in_flight = run.server_peak_in_flight;
        row.cpu_seconds = run.usage.cpu_user_s + run.usage.cpu_system_s;
        row.peak_rss_kib = run.usage.peak_rss_kib;
        row.voluntary_switches = run.usage.voluntary_switches;
        row.involuntary_switches = run.usage.involuntary_switches;
        rows.push_back(row);
    }
    return rows;
}

std::string format_table(const std::vector<Row>& rows) {
    std::ostringstream out;
    out << std::fixed;
    // Two more columns only when a model was stopped early: the usual table stays as the docs show it.
    const bool stopped = std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.cancelled > 0 || !r.stop_reason.empty(); });
    out << "model       workers  ok/failed  wall s  speed-up  ideal s  in flight  CPU s  peak RSS MiB  ctx sw vol/invol"
        << (stopped ? "  cancelled  stopped by" : "") << '\n';
    for (const auto& r : rows) {
        std::ostringstream okfail;
        okfail << r.ok << '/' << r.failed;
        std::ostringstream switches;
        switches << r.voluntary_switches << '/' << r.involuntary_switches;
        out << std::left << std::setw(12) << r.model << std::right << std::setw(7) << r.workers << std::setw(11)
            << okfail.str() << std::setw(8) << std::setprecision(2) << r.seconds;
        if (r.speedup) out << std::setw(9) << std::setprecision(1) << *r.speedup << 'x';
        else out << std::setw(10) << "-";
        if (r.ideal_seconds) out << std::setw(9) << std::setprecision(2) << *r.ideal_seconds;
        else out << std::setw(9) << "-";
        if (r.peak_in_flight) out << std::setw(11) << *r.peak_in_flight;
        else out << std::setw(11) << "-";
        out << std::setw(7) << std::setprecision(2) << r.cpu_seconds << std::setw(14) << std::setprecision(1)
            << static_cast<double>(r.peak_rss_kib) / 1024.0 << std::setw(19) << switches.str();
        if (stopped) out << std::setw(11) << r.cancelled << "  " << (r.stop_reason.empty() ? "-" : r.stop_reason);
        out << '\n';
    }
    return out.str();
}

nlohmann::json to_json(const std::vector<ModelRun>& runs, const std::vector<Row>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const Row& r = rows[i];
        nlohmann::json row = {
            {"model", r.model}, {"workers", r.workers}, {"ok", r.ok}, {"failed", r.failed}, {"cancelled", r.cancelled},
            {"seconds", r.seconds}, {"cpu_seconds", r.cpu_seconds}, {"peak_rss_kib", r.peak_rss_kib},
            {"voluntary_switches", r.voluntary_switches}, {"involuntary_switches", r.involuntary_switches},
            {"exit_code", runs[i].exit_code}, {"report", runs[i].report},
        };
        row["stop_reason"] = r.stop_reason.empty() ? nlohmann::json() : nlohmann::json(r.stop_reason);
        row["speedup"] = r.speedup ? nlohmann::json(*r.speedup) : nlohmann::json();
        row["ideal_seconds"] = r.ideal_seconds ? nlohmann::json(*r.ideal_seconds) : nlohmann::json();
        row["server_peak_in_flight"] = r.peak_in_flight ? nlohmann::json(*r.peak_in_flight) : nlohmann::json();
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace compare
