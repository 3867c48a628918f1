// compare: the C++ webscrape_comparison. Runs every download model on one site list, prints
// the Python demo's lines for each, then a table of what each model cost.
//
//   ./build/compare/compare                          # 80 simulated sites, all models
//   ./build/compare/compare --only serial,asio --timeline docs/images/timeline.svg
//   ./build/compare/compare --sweep --sweep-chart sweep.svg   # time against workers, per model
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <unistd.h>

#include "common/options.hpp"
#include "schedule.hpp"
#include "common/sites.hpp"
#include "common/url_list.hpp"
#include "runs.hpp"
#include "simulator/site_model.hpp"

namespace {

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

std::filesystem::path build_dir() {
    return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path();
}

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) {
        if (!part.empty()) parts.push_back(part);
    }
    return parts;
}

struct Plan {
    tour::Options options;
    bool workers_given = false;
    std::vector<compare::ModelInfo> models;
    std::optional<std::filesystem::path> timeline;
    bool sweep = false;
    std::optional<std::filesystem::path> sweep_chart;
};

// Latency of each URL when the simulator serves the list (the ideal bounds need them).
std::vector<std::chrono::milliseconds> simulated_latencies(const std::vector<std::string>& urls, const tour::Options& o) {
    std::vector<std::chrono::milliseconds> latencies;
    for (const auto& url : urls) {
        const auto slash = url.find('/', url.find("://") + 3);
        latencies.push_back(sitesim::page_spec({o.seed, o.latency_ms}, url.substr(slash)).latency);
    }
    return latencies;
}

}  // namespace

int main(int argc, char** argv) {
    const tour::ProgramInfo info{
        .name = "compare",
        .model = "",
        .description = "The C++ concurrency tour's comparison: runs the serial, threads, processes and Asio "
                       "download programs on the same site list (the embedded simulator unless --urls), then "
                       "prints a table of wall time, speed-up against serial, the ideal time for each model's "
                       "concurrency (from the simulator's known latencies), the server-side peak of requests in "
                       "flight, CPU time, peak memory and context switches.",
        .workers_rule = tour::WorkersRule::positive,
        .default_workers = 0,
        .workers_help = "Passed to every model that has workers (default: each model's own: threads 10, "
                        "processes = cores, asio no cap)",
    };
    CLI::App app(info.description, info.name);
    app.footer("Exit status: 0 every model fetched every URL; 1 some fetches failed; 2 bad usage or input.");
    Plan plan;
    std::string only;
    add_common_options(app, plan.options, info);
    app.add_option("--only", only, "Comma-separated models to run: serial,threads,processes,asio (default: all built)")
        ->type_name("LIST");
    app.add_option("--timeline", plan.timeline, "Write an SVG timeline: a panel per model, a lane per worker, a bar per request")
        ->type_name("FILE.svg");
    auto* sweep = app.add_flag("--sweep", plan.sweep, "Also run each concurrent model with 1, 2, 4, ... workers (up to one per URL)");
    app.add_option("--sweep-chart", plan.sweep_chart, "With --sweep: write the sweep as an SVG chart of time against workers")
        ->needs(sweep)->type_name("FILE.svg");
    try {
        app.parse(argc, argv);
        plan.workers_given = app.count("--workers") > 0;
        tour::finish_options(plan.options, info, plan.workers_given);
        std::set<std::string> wanted;
        for (const auto& key : split_commas(only)) {
            const auto& models = compare::all_models();
            if (std::none_of(models.begin(), models.end(), [&](const auto& m) { return m.key == key; })) {
                throw CLI::ValidationError("--only", "unknown model '" + key + "' (known: serial, threads, processes, asio)");
            }
            wanted.insert(key);
        }
        for (const auto& model : compare::all_models()) {
            const bool built = std::filesystem::exists(build_dir() / model.program);
            if (!wanted.empty() && !wanted.count(model.key)) continue;
            if (!built) {
                if (!wanted.empty()) throw CLI::ValidationError("--only", model.program + " is not built");
                std::cerr << "compare: " << model.program << " is not built; skipping " << model.label << "\n";
                continue;
            }
            plan.models.push_back(model);
        }
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e, std::cout, std::cerr);
        if (code == 0) return 0;
        std::cerr << "Run 'compare --help' for the options.\n";
        return 2;
    }

    try {
        // First, while compare is small and has one thread: see compare::Launcher.
        compare::Launcher launcher;
        ScratchDir scratch;
        tour::CurlGlobal curl;  // for the simulator's /__stats
        std::unique_ptr<tour::SiteSimulator> simulator;
        std::filesystem::path url_file;
        std::vector<std::string> urls;
        if (plan.options.urls_file) {
            url_file = *plan.options.urls_file;
            urls = tour::read_url_list(url_file);  // bad input fails here, once, with file:line
        } else {
            simulator = std::make_unique<tour::SiteSimulator>(plan.options.seed, plan.options.latency_ms);
            urls = simulator->urls(plan.options.sites);
            url_file = scratch.path() / "urls.txt";
            std::ofstream out(url_file);
            for (const auto& u : urls) out << u << '\n';
        }
        std::vector<std::string> all_urls;
        for (std::size_t r = 0; r < plan.options.repeat; ++r) all_urls.insert(all_urls.end(), urls.begin(), urls.end());
        std::optional<std::vector<std::chrono::milliseconds>> latencies;
        if (simulator) latencies = simulated_latencies(all_urls, plan.options);

        auto run_one = [&](const compare::ModelInfo& model, std::optional<int> workers) {
            const auto json_path = scratch.path() / (model.key + ".json");
            std::vector<std::string> args = {"--urls", url_file.string(), "--repeat", std::to_string(plan.options.repeat),
                                             "--timeout", std::to_string(plan.options.timeout_s), "--json", json_path.string()};
            if (!plan.options.cacert.empty()) args.insert(args.end(), {"--cacert", plan.options.cacert});
            if (workers && model.has_workers) args.insert(args.end(), {"--workers", std::to_string(*workers)});
            if (simulator) simulator->reset_stats();
            compare::ModelRun run;
            run.model = model;
            std::tie(run.exit_code, run.usage) = launcher.run(build_dir() / model.program, args);
            if (run.exit_code == 2 || !std::filesystem::exists(json_path)) {
                throw std::runtime_error(model.program + " failed to run (exit status " + std::to_string(run.exit_code) + ")");
            }
            run.report = nlohmann::json::parse(std::ifstream(json_path));
            if (simulator) {
                run.server_peak_in_flight = simulator->stats().at("peak_in_flight").get<long>();
                const auto w = static_cast<std::size_t>(run.report.at("workers").get<int>());
                run.ideal_seconds = std::chrono::duration<double>(compare::ideal_makespan(*latencies, w)).count();
            }
            return run;
        };

        std::vector<compare::ModelRun> runs;
        for (const auto& model : plan.models) {
            runs.push_back(run_one(model, plan.workers_given ? std::optional<int>(plan.options.workers) : std::nullopt));
        }
        const auto rows = compare::make_rows(runs);
        std::cout << '\n' << compare::format_table(rows);
        if (!simulator) std::cout << "(ideal times and server-side concurrency need the simulator)\n";

        nlohmann::json doc = {{"sites", all_urls.size()}, {"runs", compare::to_json(runs, rows)}};
        if (plan.sweep) {
            std::vector<compare::ModelRun> sweep_runs;
            for (const auto& model : plan.models) {
                if (!model.has_workers) continue;
                for (std::size_t w = 1;; w *= 2) {
                    const std::size_t workers = std::min(w, all_urls.size());
                    std::cerr << "sweep: " << model.label << " with " << workers << " workers\n";
                    sweep_runs.push_back(run_one(model, static_cast<int>(workers)));
                    if (workers == all_urls.size()) break;
                }
            }
            const auto sweep_rows = compare::make_rows(sweep_runs);
            std::cout << "\nSweep: time against workers\n" << compare::format_table(sweep_rows);
            doc["sweep"] = compare::to_json(sweep_runs, sweep_rows);
            if (plan.sweep_chart) {
                std::ofstream out(*plan.sweep_chart);
                out << compare::sweep_svg(sweep_rows);
                if (!out) throw tour::InputError(plan.sweep_chart->string() + ": cannot be written");
            }
            runs.insert(runs.end(), sweep_runs.begin(), sweep_runs.end());
        }
        if (plan.options.json_file) {
            std::ofstream out(*plan.options.json_file);
            out << doc.dump(2) << '\n';
            if (!out) throw tour::InputError(plan.options.json_file->string() + ": cannot be written");
        }
        if (plan.timeline) {
            const std::vector<compare::ModelRun> main_runs(runs.begin(), runs.begin() + static_cast<std::ptrdiff_t>(plan.models.size()));
            std::ofstream out(*plan.timeline);
            out << compare::timeline_svg(main_runs);
            if (!out) throw tour::InputError(plan.timeline->string() + ": cannot be written");
        }
        // Exit status 1 when any fetch failed, in the main runs or in the sweep.
        for (const auto& row : compare::make_rows(runs)) {
            if (row.failed > 0) return 1;
        }
        return 0;
    } catch (const tour::InputError& e) {
        std::cerr << "compare: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "compare: error: " << e.what() << '\n';
        return 1;
    }
}
