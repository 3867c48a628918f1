// compare: the C++ webscrape_comparison. Runs every download model on one site list, prints
// the Python demo's lines for each, then a table of what each model cost.
//
//   ./build/compare/compare                          # 80 simulated sites, all models
//   ./build/compare/compare --only serial,event-loop --timeline docs/images/timeline.svg
//   ./build/compare/compare --sweep --sweep-chart sweep.svg   # time against workers, per model
//
// The jobs live in their own files: run_model.cpp runs and measures one model (and the
// launcher process that starts them), table.cpp makes the table and the JSON, charts.cpp
// draws the SVG charts, schedule.hpp computes the ideal times.
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
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
#include "common/input_error.hpp"
#include "common/options.hpp"
#include "common/output_file.hpp"
#include "common/report.hpp"
#include "common/text.hpp"
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
        const auto keys = split_commas(value);
        if (keys.empty()) return std::string("needs at least one model (known: serial, threads, processes, event-loop)");
        for (const auto& key : keys) {
            if (!find_model(key)) return "unknown model '" + key + "' (known: serial, threads, processes, event-loop)";
        }
        return std::string();
    },
    "", "MODELS");

// A private scratch directory for the URL list and the children's JSON, removed at exit. It is
// made in $TMPDIR, or /tmp when TMPDIR is unset or empty (as mkstemp's callers and the shell's
// tools read it; std::filesystem::temp_directory_path() calls an empty TMPDIR an error).
class ScratchDir {
public:
    ScratchDir() {
        const char* tmpdir = std::getenv("TMPDIR");
        const std::string parent = tmpdir && *tmpdir ? tmpdir : "/tmp";
        std::string pattern = (std::filesystem::path(parent) / "tour-compare-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw tour::InputError("cannot make a scratch directory in " + tour::printable(parent, 200) +
                                   (tmpdir && *tmpdir ? " (TMPDIR)" : "") + ": " + std::strerror(errno));
        }
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
    work.deadline_s = options.deadline_s;
    work.fail_fast = options.fail_fast;
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

// Each model in turn on the same list, until a stop signal: the model running when it came stops
// gracefully (its row counts what it cancelled), the next ones do not start.
std::vector<compare::ModelRun> run_models(compare::Launcher& launcher, compare::StopSignals& stop,
                                          const Choices& choices, const compare::Workload& work) {
    std::vector<compare::ModelRun> runs;
    for (const auto& model : choices.models) {
        if (stop.stopping()) break;
        runs.push_back(compare::run_model(launcher, model, choices.workers, work));
    }
    return runs;
}

// The sweep: every model that has workers, with 1, 2, 4, ... workers up to one per URL.
std::vector<compare::ModelRun> run_sweep(compare::Launcher& launcher, compare::StopSignals& stop,
                                         const std::vector<compare::ModelInfo>& models, const compare::Workload& work,
                                         std::size_t url_count) {
    std::vector<compare::ModelRun> runs;
    for (const auto& model : models) {
        if (!model.has_workers) continue;
        for (std::size_t w = 1;; w *= 2) {
            if (stop.stopping()) return runs;
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
    return std::any_of(rows.begin(), rows.end(), [](const compare::Row& row) { return row.failed > 0 || row.cancelled > 0; });
}

// Did the stop signal compare relayed stop this run (its report says so), or kill it?
bool stopped_by_signal(const compare::ModelRun& run) {
    const nlohmann::json reason = run.report.value("stop_reason", nlohmann::json());
    return reason == "interrupted" || reason == "terminated" || !run.failure.empty();
}

// After a graceful stop: which run it stopped, and what never ran (nothing is lost silently).
// `runs` and `sweep_runs` are what ran before the stop (both empty: it came while setting up).
void say_what_stopped(std::ostream& out, int signal, const Choices& choices, const std::vector<compare::ModelRun>& runs,
                      const std::vector<compare::ModelRun>& sweep_runs) {
    std::vector<std::string> not_run;
    for (std::size_t i = runs.size(); i < choices.models.size(); ++i) not_run.push_back(choices.models[i].label);
    const compare::ModelRun* last = sweep_runs.empty() ? (runs.empty() ? nullptr : &runs.back()) : &sweep_runs.back();
    if (choices.sweep && sweep_runs.empty()) not_run.push_back("the sweep");
    else if (choices.sweep && stopped_by_signal(*last)) not_run.push_back("the rest of the sweep");
    out << "compare: stopped by " << compare::signal_words(signal);
    if (last && stopped_by_signal(*last)) out << " while " << last->model.label << " ran: its row counts what it cancelled";
    for (std::size_t i = 0; i < not_run.size(); ++i) out << (i == 0 ? "; not run: " : ", ") << not_run[i];
    out << '\n';
}

// The command line: the download options every program has (passed on to the models),
// --workers, and compare's own. Returns an exit status when the program should end now (--help,
// bad usage).
std::optional<int> read_command_line(int argc, char** argv, Choices& choices) {
    CLI::App app{"The C++ concurrency tour's comparison: runs the serial, threads, processes and event-loop "
                 "download programs on the same site list (the embedded simulator unless --urls), then "
                 "prints a table of wall time, speed-up against serial, the ideal time for each model's "
                 "concurrency (from the simulator's known latencies), the server-side peak of requests in "
                 "flight, CPU time, peak memory and context switches.",
                 "compare"};
    tour::add_download_options(app, choices.options);
    int workers = 0;
    auto* workers_option = tour::add_workers_option(
        app, workers,
        "Passed to every model that has workers (default: each model's own: threads 10, processes = cores, event-loop no cap)", 1);
    std::string only;
    app.add_option("--only", only, "Comma-separated models to run: serial,threads,processes,event-loop (default: all four)")
        ->check(known_models)->type_name("LIST");
    app.add_option("--timeline", choices.timeline, "Write an SVG timeline: a panel per model, a lane per worker, a bar per request")
        ->check(tour::writable_file)->type_name("FILE.svg");
    auto* sweep = app.add_flag("--sweep", choices.sweep, "Also run each concurrent model with 1, 2, 4, ... workers (up to one per URL)");
    app.add_option("--sweep-chart", choices.sweep_chart, "With --sweep: write the sweep as an SVG chart of time against workers")
        ->needs(sweep)->check(tour::writable_file)->type_name("FILE.svg");
    app.footer("Ctrl-C (or SIGTERM, SIGHUP, SIGQUIT) once: the running model stops as its own Ctrl-C stops it, the "
               "table shows the models that ran, the next ones do not start; twice: compare ends at once.\n"
               "Exit status: 0 every model fetched every URL; 1 some fetches failed or were cancelled (--deadline, "
               "--fail-fast); 2 bad usage or input; 130, 143, 129, 131 after SIGINT, SIGTERM, SIGHUP, SIGQUIT.");
    // What --deadline and --fail-fast mean here: each is passed to every model it runs.
    app.get_option("--deadline")->description("Passed to every model: each model's run stops after SEC (nothing new "
                                              "starts, transfers in flight are aborted); its row counts what it cancelled");
    app.get_option("--fail-fast")->description("Passed to every model: the first failed URL stops that model's run");
    if (const auto exit_now = tour::parse_command_line(app, argc, argv)) return exit_now;  // --help, or bad usage
    if (workers_option->count() > 0) choices.workers = workers;
    choices.models = chosen_models(only);
    if (choices.sweep && std::none_of(choices.models.begin(), choices.models.end(), [](const auto& m) { return m.has_workers; })) {
        std::cerr << "--sweep: nothing to sweep: " << only << " has no workers (threads, processes and event-loop have)\n";
        return 2;
    }
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    // 1. The command line.
    Choices choices;
    if (const auto exit_now = read_command_line(argc, argv, choices)) return *exit_now;

    // Ctrl-C and SIGTERM arrive as data from here on: the first stops gracefully, see stop_signals.hpp.
    compare::StopSignals stop;
    try {
        // 2. The launcher first, while compare is small and has one thread: see compare::Launcher.
        compare::Launcher launcher(&stop);
        tour::CurlGlobal curl;  // for the simulator's /__stats
        const ScratchDir scratch;

        // 3. The sites: the simulator, or --urls (bad input fails here, once, with file:line).
        const tour::SiteList sites = tour::select_sites(choices.options);
        const compare::Workload work = make_workload(sites, choices.options, scratch);
        if (stop.stopping()) {  // while setting up: no model has run, so say only that
            say_what_stopped(std::cerr, stop.first(), choices, {}, {});
            throw compare::Interrupted(stop.first());
        }

        // 4. Each model, one after another, on the same list. The meter tells whether other
        // programs took the CPU meanwhile (then every speed-up is understated).
        const tour::CpuShareMeter meter;
        const std::vector<compare::ModelRun> runs = run_models(launcher, stop, choices, work);
        const tour::CpuShare share = meter.stop();

        // 5. The table, of every model that ran.
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
        if (choices.sweep && !stop.stopping()) {
            sweep_runs = run_sweep(launcher, stop, choices.models, work, sites.urls.size());
            const auto sweep_rows = compare::make_rows(sweep_runs);
            std::cout << "\nSweep: time against workers\n" << compare::format_table(sweep_rows);
            doc["sweep"] = compare::to_json(sweep_runs, sweep_rows);
            if (choices.sweep_chart) tour::write_file(*choices.sweep_chart, compare::sweep_svg(sweep_rows));
        }

        // 7. The files asked for, with what ran when a stop signal came.
        if (stop.stopping()) {
            say_what_stopped(std::cerr, stop.first(), choices, runs, sweep_runs);
            doc["stopped_by"] = compare::signal_words(stop.first());
        }
        if (choices.options.json_file) tour::write_json_file(*choices.options.json_file, doc);
        if (choices.timeline) tour::write_file(*choices.timeline, compare::timeline_svg(runs));

        // 8. Stopped by a signal: end by it, after the clean-up. Else exit status 1 when any
        // fetch failed, in the main runs or in the sweep.
        if (stop.stopping()) throw compare::Interrupted(stop.first());
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
