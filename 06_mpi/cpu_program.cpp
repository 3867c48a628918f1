#include "cpu_program.hpp"

#include <CLI/CLI.hpp>
#include <mpi.h>
#include <nlohmann/json.hpp>

#include "common/options.hpp"
#include "mpi_models.hpp"
#include "workload.hpp"

namespace mpi {

void add_cpu_options(CLI::App& app, CpuOptions& options) {
    app.add_option("--model", options.work.model, "Which model: static, manager-worker or all (default)")
        ->check(CLI::IsMember({"all", "static", "manager-worker"}))->type_name("NAME");
    app.add_option("--tasks", options.work.tasks, "How many tasks (default 20, as in chapter 5)")
        ->transform(tour::finite_number)->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))->type_name("N");
    app.add_option("--size", options.work.size, "Numbers per task (default 50,000, as in chapter 5)")
        ->transform(tour::finite_number)->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000}))->type_name("N");
    app.add_option("--start", options.work.start, "The first number of the first task (default 1,000,000,000)")
        ->transform(tour::finite_number)->check(CLI::Range(std::uint64_t{0}, cpu::max_number))->type_name("N");
    app.add_flag("--uneven", options.uneven,
                 "Tasks of growing sizes (the last about twice --size, the first almost nothing) instead of equal ones: "
                 "a static split is then unfair, and manager/worker evens it out");
    app.add_option("--json", options.work.json_file, "Also write every model's results as JSON to FILE")
        ->check(tour::writable_file)->type_name("FILE");
    app.footer("Run under mpirun: mpirun -np 2 06_mpi (as root: export OMPI_ALLOW_RUN_AS_ROOT=1 "
               "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; more ranks than cores: mpirun --oversubscribe).\n"
               "Exit status: 0 every model matched the reference; 1 a model differed; 2 bad usage.");
    tour::add_version_flag(app);
    app.callback([&options] {  // the sizes are capped above, so this cannot overflow
        if (options.work.start + options.work.tasks * options.work.size > cpu::max_number) {
            throw CLI::ValidationError("--start/--tasks/--size", "the last number (start + tasks * size) must not exceed 10^13");
        }
    });
}

std::vector<CpuModel> cpu_models() {
    return {{"static", "MPI static blocks", [](auto tasks) { return run_static_blocks(tasks); }},
            {"manager-worker", "MPI manager/worker", [](auto tasks) { return run_manager_worker(tasks); }}};
}

cpu::Usage sum_over_ranks(const cpu::Usage& mine) {
    cpu::Usage total = mine;
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Reduce(&mine.cpu_seconds, rank == 0 ? &total.cpu_seconds : nullptr, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(&mine.involuntary_switches, rank == 0 ? &total.involuntary_switches : nullptr, 1, MPI_LONG, MPI_SUM, 0,
               MPI_COMM_WORLD);
    return total;
}

nlohmann::json to_json(const CpuOptions& options, int ranks, std::span<const cpu::Task> tasks,
                       std::span<const cpu::TaskResult> reference, std::span<const cpu::ModelRun> runs) {
    nlohmann::json doc = cpu::to_json(options.work, tasks, reference, runs);
    doc["program"] = "06_mpi";
    doc["ranks"] = ranks;
    doc["workers"] = ranks;
    doc["uneven"] = options.uneven;
    return doc;
}

}  // namespace mpi
