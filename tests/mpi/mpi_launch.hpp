// Test support for chapter 6: run a program under mpirun, bounded, and find its ranks.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "run_program.hpp"

namespace tour_test {

// `mpirun -np ranks program args...`, killed by the test after `limit` and by mpirun itself
// (--timeout) a little before. --oversubscribe: more ranks than this machine's 2 cores;
// --allow-run-as-root: CI runs as root, and Open MPI refuses root without it (readers use the
// OMPI_ALLOW_RUN_AS_ROOT variables the docs name).
inline ProgramRun run_mpi(int ranks, const std::filesystem::path& program, const std::vector<std::string>& args,
                          std::chrono::seconds limit = std::chrono::seconds(90),
                          const std::function<void(pid_t)>& meanwhile = {}) {
    std::vector<std::string> argv = {"-np", std::to_string(ranks), "--oversubscribe", "--allow-run-as-root",
                                     "--timeout", std::to_string(limit.count() - 10), program.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(MPIRUN, argv, limit, meanwhile);
}

// The processes whose command line contains `marker` (a test's unique temporary path): the
// ranks of that test's run, wherever mpirun's daemons put them in the process tree.
inline std::vector<pid_t> processes_with(const std::string& marker) {
    std::vector<pid_t> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (cmdline.find(marker) != std::string::npos) found.push_back(std::stoi(name));
    }
    return found;
}

// Which rank process `pid` is (Open MPI puts OMPI_COMM_WORLD_RANK in every rank's
// environment), or -1 when it is not a rank (mpirun itself) or has gone.
inline int rank_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/environ");
    const std::string key = "OMPI_COMM_WORLD_RANK=";
    for (std::string entry; std::getline(in, entry, '\0');) {
        if (entry.rfind(key, 0) == 0) return std::stoi(entry.substr(key.size()));
    }
    return -1;
}

}  // namespace tour_test
