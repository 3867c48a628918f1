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
    cpu::add_work_options(app, options.work);  // --tasks, --size, --start, --json: chapter 5's
    app.add_flag("--uneven", options.uneven,
                 "Tasks of growing sizes (the last about twice --size, the first almost nothing) instead of equal ones: "
                 "a static split is then unfair, and manager/worker evens it out");
    app.footer("Run under mpirun: mpirun -np 2 06_mpi (as root: export OMPI_ALLOW_RUN_AS_ROOT=1 "
               "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; more ranks than cores: mpirun --oversubscribe).\n"
               "Exit status: 0 every model matched the reference; 1 a model differed; 2 bad usage.");
    tour::add_version_flag(app);
    app.callback([&options] { cpu::check_work(options.work); });
}

std::vector<CpuModel> cpu_models(const Session& mpi) {
    return {{"static", "MPI static blocks", [&mpi](auto tasks) { return run_static_blocks(mpi, tasks); }},
            {"manager-worker", "MPI manager/worker", [&mpi](auto tasks) { return run_manager_worker(mpi, tasks); }}};
}

cpu::Usage sum_over_ranks(const Session& mpi, const cpu::Usage& mine) {
    cpu::Usage total = mine;
    const int rank = mpi.rank();
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
