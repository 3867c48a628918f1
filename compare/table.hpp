// The table and the JSON: what compare prints and writes for a list of runs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run_model.hpp"

namespace compare {

// One table row per run, values computed from the runs (speed-up against the run labelled
// "Serial" when present).
struct Row {
    std::string model;
    int workers = 0;
    std::size_t ok = 0, failed = 0, cancelled = 0;  // cancelled: by the model's --deadline or --fail-fast
    std::string stop_reason;                         // why the model stopped early ("deadline", ...), or empty
    double seconds = 0;
    std::optional<double> speedup;
    std::optional<double> ideal_seconds;
    std::optional<long> peak_in_flight;
    double cpu_seconds = 0;
    long peak_rss_kib = 0;
    long voluntary_switches = 0, involuntary_switches = 0;
};
std::vector<Row> make_rows(const std::vector<ModelRun>& runs);
std::string format_table(const std::vector<Row>& rows);
nlohmann::json to_json(const std::vector<ModelRun>& runs, const std::vector<Row>& rows);

}  // namespace compare
