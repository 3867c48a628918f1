// 05_cpu_bound: the models of chapters 1-4 on CPU-bound work, where C++ threads and Python
// threads part ways. The program's whole flow is here; the models are in cpu_models.cpp, the
// work in workload.cpp.
//
//   ./build/05_cpu_bound/05_cpu_bound                      # every model, 20 tasks
//   ./build/05_cpu_bound/05_cpu_bound --model threads --workers 4
//   ./build/05_cpu_bound/05_cpu_bound --scaling            # time grows linearly with --size
//   /usr/bin/python3 05_cpu_bound/cpu_bound.py              # the same work in Python
#include <algorithm>
#include <exception>
#include <iostream>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include <CLI/CLI.hpp>

#include "common/cpu_share.hpp"
#include "common/options.hpp"
#include "common/report.hpp"
#include "cpu_models.hpp"
#include "cpu_options.hpp"
#include "cpu_report.hpp"
#include "false_sharing_demo.hpp"
#include "scaling_demo.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Chapter 5 of the C++ concurrency tour: CPU-bound work, where C++ threads and Python threads part "
                 "ways.\nCounts the primes in --tasks ranges of --size numbers by trial division (work no optimiser "
                 "can fold), with each model of chapters 1-4 and a few more, and checks every model's checksum "
                 "against a reference computed by a sieve. In C++, threads and processes both use every core; an "
                 "event loop uses one. Compare with: /usr/bin/python3 05_cpu_bound/cpu_bound.py (same work, same checksums, "
                 "under the GIL).",
                 "05_cpu_bound"};
    cpu::Options options;
    cpu::add_options(app, options);
    if (const auto exit_now = tour::parse_command_line(app, argc, argv)) return *exit_now;  // --help, or bad usage

    try {
        // Other programs' CPU time during the run: on a busy machine every speed-up shrinks
        // towards 1.0x, and the report must say so rather than teach the wrong lesson.
        const tour::CpuShareMeter meter;
        if (options.scaling || options.false_sharing) {
            const int status = options.scaling
                                   ? cpu::run_scaling_demo(std::cout, std::cerr, options.tasks, options.size, options.start)
                                   : cpu::run_false_sharing_demo(std::cout, options.workers);
            tour::print_cpu_notice(std::cout, meter.stop());
            return status;
        }

        // Set-up, not timed: the tasks, and the results every model must reproduce (a sieve: a
        // different algorithm, so a model cannot agree with it by sharing a bug).
        const auto tasks = cpu::make_tasks(options.start, options.tasks, options.size);
        const auto reference = cpu::sieve_reference(tasks);
        cpu::print_work(std::cout, tasks, reference);

        std::vector<cpu::ModelRun> runs;
        std::optional<double> serial_seconds;  // the baseline of each "x serial"
        for (const cpu::Model& model : cpu::models(options.workers, options.oversubscribe)) {  // serial, processes first
            if (!options.selects(model.key)) continue;
            if (model.key == "par" && !cpu::par_available()) {
                std::cout << "(Parallel algorithm, std::execution::par: not in this build; install libtbb-dev and re-run cmake)\n";
                continue;
            }
            cpu::print_starting(std::cout, model.name, tasks.size());
            cpu::ModelRun run(model);
            const cpu::Usage before = cpu::Usage::now();
            const tour::Clock::time_point start = tour::Clock::now();
            try {
                run.results = model.run(tasks);
                run.ran = true;
            } catch (const std::exception& e) {  // e.g. a crashed child: this model failed, the next still runs
                run.error = e.what();
            }
            run.seconds = tour::seconds_since(start);
            run.usage = cpu::Usage::now() - before;
            run.matches = run.ran && run.results == reference;
            cpu::print_finished(std::cout, std::cerr, run, tasks, reference);  // what failed or differed: on stderr
            if (model.key == "serial" && run.ran) serial_seconds = run.seconds;
            cpu::print_details(std::cout, run, serial_seconds, reference);
            runs.push_back(std::move(run));
        }

        const bool all_matched = std::ranges::all_of(runs, &cpu::ModelRun::matches);
        std::cout << (all_matched ? "Every model matched the reference.\n"
                                  : "Some model failed or differed from the reference (see stderr).\n");
        const tour::CpuShare share = meter.stop();
        tour::print_cpu_notice(std::cout, share);
        if (options.json_file) {
            auto document = cpu::to_json(options, tasks, reference, runs);
            document["cpu_share"] = share.to_json();
            tour::write_json_file(*options.json_file, document);
        }
        return all_matched ? 0 : 1;  // 1: a model failed or differed
    } catch (const tour::InputError& e) {  // --json could not be written
        std::cerr << "05_cpu_bound: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "05_cpu_bound: error: " << e.what() << '\n';
        return 1;
    }
}
