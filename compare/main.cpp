// compare: the C++ webscrape_comparison. Runs every download model on one site list, prints
// the Python demo's lines for each, then a table of what each model cost.
//
//   ./build/compare/compare                          # 80 simulated sites, all models
//   ./build/compare/compare --only serial,asio --timeline docs/images/timeline.svg
//   ./build/compare/compare --sweep --sweep-chart sweep.svg   # time against workers, per model
//
// The jobs live in their own files: run_model.cpp runs and measures one model (and the
// launcher process that starts them), table.cpp makes the table and the JSON, charts.cpp
// draws the SVG charts, schedule.hpp computes the ideal times.
#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <stdlib.h>

#include <CLI/CLI.hpp>

#include "charts.hpp"
#include "common/cpu_share.hpp"
#include "common/fetch.hpp"
#include "common/options.hpp"
#include "common/output_file.hpp"
#include "common/report.hpp"
#include "simulator/sites.hpp"
#include "common/url_list.hpp"
#include "run_model.hpp"
#include "simulator/site_model.hpp"
#include "stop_signals.hpp"
#include "table.hpp"

namespace {

// What compare's own options choose, beside the download options it passes on.
struct Choices {
    tour::Options options;
    std::optional<int> workers;  // --workers; unset: each model's own default
    std::vector<compare::ModelInfo> models;
    std::optional<std::filesystem::path> timeline;
    bool sweep = false;
    std::optional<std::filesystem::path> sweep_chart;
};

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) {
        if (!part.empty()) parts.push_back(part);
    }
    return parts;
}

const compare::ModelInfo* find_model(const std::string& key) {
    const auto& models = compare::all_models();
    const auto found = std::find_if(models.begin(), models.end(), [&](const auto& m) { return m.key == key; });
    return found == models.end() ? nullptr : &*found;
}

// --only LIST: which models run, always in the order of compare::all_models().
std::vector<compare::ModelInfo> chosen_models(const std::string& only) {
    const auto keys = split_commas(only);
    std::vector<compare::ModelInfo> chosen;
    for (const auto& model : compare::all_models()) {
        if (keys.empty() || std::find(keys.begin(), keys.end(), model.key) != keys.end()) chosen.push_back(model);
    }
    return chosen;
}

const CLI::Validator known_models(
    [](const std::string& value) {
        for (const auto& key : split_commas(value)) {
            if (!find_model(key)) return "unknown model '" + key + "' (known: serial, threads, processes, asio)";
        }
        return std::string();
    },
    "", "MODELS");

// A private scratch directory for the URL list and the children's JSON, removed at exit.
class ScratchDir {
public:
    ScratchDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "tour-compare-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// The same list for every model: written to a file each program reads with --urls, and with
// the simulator each URL's latency (which the ideal times need).
compare::Workload make_workload(const tour::SiteList& sites, const tour::Options& options, const ScratchDir& scratch) {
    compare::Workload work;
    work.url_file = scratch.path() / "urls.txt";
    std::ofstream out(work.url_file);
    for (const auto& url : sites.urls) out << url << '\n';
    if (!out.flush()) throw std::runtime_error(work.url_file.string() + ": cannot be written");
    work.output_dir = scratch.path();
    work.timeout_s = options.timeout_s;
    work.cacert = options.cacert;
    work.simulator = sites.simulator.get();
    work.urls = sites.urls;
    if (sites.simulator) {
        for (const auto& url : sites.urls) {
            const auto slash = url.find('/', url.find("://") + 3);
            work.latencies.push_back(sitesim::page_spec({options.seed, options.latency_ms}, url.substr(slash)).latency);
        }
    }
    return work;
}

// The sweep: every model that has workers, with 1, 2, 4, ... workers up to one per URL.
std::vector<compare::ModelRun> run_sweep(compare::Launcher& launcher, const std::vector<compare::ModelInfo>& models,
                                         const compare::Workload& work, std::size_t url_count) {
    std::vector<compare::ModelRun> runs;
    for (const auto& model : models) {
        if (!model.has_workers) continue;
        for (std::size_t w = 1;; w *= 2) {
            const std::size_t workers = std::min(w, url_count);
            std::cerr << "sweep: " << model.label << " with " << workers << " workers\n";
            runs.push_back(compare::run_model(launcher, model, static_cast<int>(workers), work));
            if (workers == url_count) break;
        }
    }
    return runs;
}

bool any_failed(const std::vector<compare::ModelRun>& runs) {
    const auto rows = compare::make_rows(runs);
    return std::any_of(rows.begin(), rows.end(), [](const compare::Row& row) { return row.failed > 0; });
}

}  // namespace

int main(int argc, char** argv) {
    // 1. The command line: the download options every program has (passed on to the models),
    //    --workers, and compare's own.
    CLI::App app{"The C++ concurrency tour's comparison: runs the serial, threads, processes and Asio "
                 "download programs on the same site list (the embedded simulator unless --urls), then "
                 "prints a table of wall time, speed-up against serial, the ideal time for each model's "
                 "concurrency (from the simulator's known latencies), the server-side peak of requests in "
                 "flight, CPU time, peak memory and context switches.",
                 "compare"};
    Choices choices;
    tour::add_download_options(app, choices.options);
    int workers = 0;
    auto* workers_option = tour::add_workers_option(
        app, workers,
        "Passed to every model that has workers (default: each model's own: threads 10, processes = cores, asio no cap)", 1);
    std::string only;
    app.add_option("--only", only, "Comma-separated models to run: serial,threads,processes,asio (default: all four)")
        ->check(known_models)->type_name("LIST");
    app.add_option("--timeline", choices.timeline, "Write an SVG timeline: a panel per model, a lane per worker, a bar per request")
        ->check(tour::writable_file)->type_name("FILE.svg");
    auto* sweep = app.add_flag("--sweep", choices.sweep, "Also run each concurrent model with 1, 2, 4, ... workers (up to one per URL)");
    app.add_option("--sweep-chart", choices.sweep_chart, "With --sweep: write the sweep as an SVG chart of time against workers")
        ->needs(sweep)->check(tour::writable_file)->type_name("FILE.svg");
    app.footer("Exit status: 0 every model fetched every URL; 1 some fetches failed; 2 bad usage or input.");
    if (const auto exit_now = tour::parse_command_line(app, argc, argv)) return *exit_now;  // --help, or bad usage
    if (workers_option->count() > 0) choices.workers = workers;
    choices.models = chosen_models(only);

    // Ctrl-C and SIGTERM arrive as data from here on, so compare can clean up: see stop_signals.hpp.
    const compare::StopSignals stop;
    try {
        // 2. The launcher first, while compare is small and has one thread: see compare::Launcher.
        compare::Launcher launcher(&stop);
        tour::CurlGlobal curl;  // for the simulator's /__stats

        // 3. The sites: the simulator, or --urls (bad input fails here, once, with file:line).
        const tour::SiteList sites = tour::select_sites(choices.options);
        const ScratchDir scratch;
        const compare::Workload work = make_workload(sites, choices.options, scratch);
        stop.throw_if_received();

        // 4. Each model, one after another, on the same list. The meter tells whether other
        // programs took the CPU meanwhile (then every speed-up is understated).
        const tour::CpuShareMeter meter;
        std::vector<compare::ModelRun> runs;
        for (const auto& model : choices.models) runs.push_back(compare::run_model(launcher, model, choices.workers, work));
        const tour::CpuShare share = meter.stop();

        // 5. The table.
        stop.throw_if_received();
        const auto rows = compare::make_rows(runs);
        std::cout << '\n' << compare::format_table(rows);
        for (const auto& run : runs) {  // a model that died: its row says 0 ok; here is why
            if (!run.failure.empty()) std::cerr << "compare: " << run.model.label << ": " << run.failure << '\n';
        }
        if (!sites.simulator) std::cout << "(ideal times and server-side concurrency need the simulator)\n";
        tour::print_cpu_notice(std::cout, share);
        nlohmann::json doc = {{"sites", sites.urls.size()}, {"runs", compare::to_json(runs, rows)}, {"cpu_share", share.to_json()}};

        // 6. The sweep.
        std::vector<compare::ModelRun> sweep_runs;
        if (choices.sweep) {
            sweep_runs = run_sweep(launcher, choices.models, work, sites.urls.size());
            const auto sweep_rows = compare::make_rows(sweep_runs);
            std::cout << "\nSweep: time against workers\n" << compare::format_table(sweep_rows);
            doc["sweep"] = compare::to_json(sweep_runs, sweep_rows);
            if (choices.sweep_chart) tour::write_file(*choices.sweep_chart, compare::sweep_svg(sweep_rows));
        }

        // 7. The files asked for.
        stop.throw_if_received();
        if (choices.options.json_file) tour::write_json_file(*choices.options.json_file, doc);
        if (choices.timeline) tour::write_file(*choices.timeline, compare::timeline_svg(runs));

        // 8. Exit status 1 when any fetch failed, in the main runs or in the sweep.
        return any_failed(runs) || any_failed(sweep_runs) ? 1 : 0;
    } catch (const compare::Interrupted& e) {  // every destructor above has run: model, launcher, simulator, scratch
        compare::StopSignals::die_by(e.signal);
    } catch (const tour::InputError& e) {  // a bad URL file, a simulator that would not start, an unwritable file
        std::cerr << "compare: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "compare: error: " << e.what() << '\n';
        return 1;
    }
}
