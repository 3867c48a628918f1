// The 03_processes program's worker processes, seen from a test that runs it: cli_test.cpp and
// stop_test.cpp signal them.
#pragma once

#include <chrono>
#include <thread>
#include <vector>

#include <sys/types.h>

#include "run_program.hpp"

namespace tour_test {

// Wait (30 s at most) until `program` has `count` workers (children named 03_processes; the
// other child is sitesim). Returns their pids, or nothing if they never all appeared.
inline std::vector<pid_t> wait_for_workers(pid_t program, std::size_t count) {
    for (int tries = 0; tries < 3000; ++tries) {
        std::vector<pid_t> workers;
        for (const auto& [pid, name] : children_of(program)) {
            if (name == "03_processes") workers.push_back(pid);
        }
        if (workers.size() == count) return workers;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
}

}  // namespace tour_test
