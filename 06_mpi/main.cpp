// 06_mpi: chapter 5's CPU-bound tasks spread over MPI ranks: processes that may sit on other
// machines and share nothing but messages. The program's whole flow is here; the two ways of
// sharing out the tasks are in mpi_models.cpp, the work and its reference check are chapter 5's.
//
//   mpirun -np 2 ./build/06_mpi/06_mpi                      # 20 tasks, static blocks then manager/worker
//   mpirun -np 3 --oversubscribe ./build/06_mpi/06_mpi --model manager-worker --uneven
//   ./build/06_mpi/06_mpi                                   # without mpirun: one rank
// (As root, Open MPI wants OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1.)
#include <algorithm>
#include <exception>
#include <iostream>
#include <vector>

#include <nlohmann/json.hpp>

#include <CLI/CLI.hpp>

#include "common/options.hpp"
#include "common/report.hpp"
#include "cpu_report.hpp"
#include "mpi_models.hpp"
#include "cpu_program.hpp"
#include "mpi_session.hpp"

int main(int argc, char** argv) {
    const tour::Clock::time_point launched = tour::Clock::now();
    const mpi::Session mpi(argc, argv);  // every rank runs all of main; rank 0 alone prints
    const double init_seconds = tour::seconds_since(launched);
    CLI::App app{"Chapter 6 of the C++ concurrency tour: chapter 5's CPU-bound tasks over MPI ranks. Run it under "
                 "mpirun -np N. Static blocks (each rank a fixed share, results added up with MPI_Reduce), then "
                 "manager/worker (rank 0 deals one task at a time with MPI_Send/MPI_Recv); every result is checked "
                 "against chapter 5's reference (a sieve).",
                 "06_mpi"};
    mpi::CpuOptions options;
    mpi::add_cpu_options(app, options);
    if (const auto exit_now = mpi.parse_command_line(app, argc, argv)) return *exit_now;  // same on every rank

    try {
        // Every rank builds the same task list from the same command line: nothing to send.
        const auto tasks = options.uneven ? mpi::make_uneven_tasks(options.work.start, options.work.tasks, options.work.size)
                                          : cpu::make_tasks(options.work.start, options.work.tasks, options.work.size);
        const auto reference = mpi.root() ? cpu::sieve_reference(tasks) : std::vector<cpu::TaskResult>{};
        if (mpi.root()) cpu::print_work(std::cout, tasks, reference);
        std::cout << mpi.size() << (mpi.size() == 1 ? " rank" : " ranks") << "; MPI_Init took " << cpu::fixed(init_seconds, 3)
                  << " s on rank 0 (mpirun's own start-up, before main, is not in it)\n\n";

        std::vector<cpu::ModelRun> runs;
        for (const mpi::CpuModel& model : mpi::cpu_models(mpi)) {
            if (!options.work.selects(model.key)) continue;
            const bool dealer = model.key == "manager-worker" && mpi.size() > 1;  // rank 0 deals, computes nothing
            cpu::ModelRun run(cpu::Model{model.key, model.name, dealer ? mpi.size() - 1 : mpi.size(), {}});
            cpu::print_starting(std::cout, model.name, tasks.size());
            MPI_Barrier(MPI_COMM_WORLD);  // start together: time the model, not a late rank's start-up
            const cpu::Usage before = cpu::Usage::now();
            const tour::Clock::time_point start = tour::Clock::now();
            run.results = model.run(tasks);  // rank 0: every result; the others: none
            run.seconds = tour::seconds_since(start);
            run.usage = mpi::sum_over_ranks(mpi, cpu::Usage::now() - before);  // every rank's CPU, added up on rank 0
            if (!mpi.root()) continue;
            run.ran = true;
            run.matches = run.results == reference;
            cpu::print_finished(std::cout, std::cerr, run, tasks, reference);
            cpu::print_details(std::cout, run, std::nullopt, reference);
            runs.push_back(std::move(run));
        }
        if (!mpi.root()) return 0;
        const bool all_matched = std::ranges::all_of(runs, &cpu::ModelRun::matches);
        std::cout << (all_matched ? "Every model matched the reference.\n"
                                  : "Some model differed from the reference (see stderr).\n");
        if (options.work.json_file) tour::write_json_file(*options.work.json_file, mpi::to_json(options, mpi.size(), tasks, reference, runs));
        return all_matched ? 0 : 1;
    } catch (const tour::InputError& e) {  // --json could not be written
        std::cerr << "06_mpi: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "06_mpi: error: " << e.what() << '\n';
        return 1;
    }
}
