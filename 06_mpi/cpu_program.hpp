// Chapter 6: what 06_mpi needs around its models: its command line (chapter 5's work options,
// and --model, --uneven), the list of models, and adding up every rank's CPU time.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cpu_options.hpp"  // cpu::Options: --tasks, --size, --start, --json as in chapter 5
#include "cpu_report.hpp"   // cpu::Usage, cpu::ModelRun
#include "mpi_session.hpp"  // mpi::Session

namespace CLI {
class App;
}

namespace mpi {

struct CpuOptions {
    cpu::Options work;    // model "all" runs both; "static" or "manager-worker" one
    bool uneven = false;  // --uneven: tasks of growing sizes (make_uneven_tasks)
};

// --model, --uneven, chapter 5's work options (--tasks, --size, --start, --json), --version and
// the exit-status footer.
void add_cpu_options(CLI::App& app, CpuOptions& options);

struct CpuModel {
    std::string key, name;  // --model value, and the word in "Starting ... computation"
    std::function<std::vector<cpu::TaskResult>(std::span<const cpu::Task>)> run;
};
std::vector<CpuModel> cpu_models(const Session& mpi);  // static blocks, then manager/worker

// Each rank's CPU time and pre-emptions, added up on rank 0 (MPI_Reduce); the other ranks get
// their own. Every rank must call it.
cpu::Usage sum_over_ranks(const Session& mpi, const cpu::Usage& mine);

// chapter 5's --json document, with this program's name, the ranks and --uneven.
nlohmann::json to_json(const CpuOptions& options, int ranks, std::span<const cpu::Task> tasks,
                       std::span<const cpu::TaskResult> reference, std::span<const cpu::ModelRun> runs);

}  // namespace mpi
