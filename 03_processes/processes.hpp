// Chapter 3: a pool of worker processes. The parent forks N workers, deals them URLs one at a
// time through a pipe each, and reads their results back through another pipe each. A worker
// is a separate process: its memory, its libcurl handle and its connection are its own, and
// its crash is not the parent's crash.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/fetch.hpp"
#include "common/report.hpp"

namespace processes {

// TEST-ONLY: makes one worker die on purpose, to prove the parent survives it. Worker `worker`
// fetches the URL it was handed after `after_fetches` completed fetches, then dies before it
// can report it: by SIGKILL, or with `exit_status` when that is non-zero. Off by default.
// The 03_processes program reads it from TOUR_TEST_CRASH_WORKER=k:j (SIGKILL) or k:j:exit
// (exit status 3); nothing else should ever set it.
struct CrashSwitch {
    int worker = -1;  // -1: off
    int after_fetches = 0;
    int exit_status = 0;  // 0: SIGKILL

    // Parse "k:j" or "k:j:exit". Throws std::invalid_argument with the reason.
    static CrashSwitch parse(std::string_view text);
};

// The default pool size: one worker per core, like multiprocessing.Pool() (os.cpu_count()).
int default_workers();

// Download every URL with `workers` forked processes (never more processes than URLs). Returns
// one FetchResult per URL, in input order. A worker that dies (a signal, or a non-zero exit)
// costs exactly the URL it was holding: that URL's error says "lost: worker 1 killed by
// SIGKILL"; the URLs nobody had taken yet are fetched by the surviving workers. Every child is
// reaped before this returns (or throws). Preconditions: the calling process has ONE thread
// (fork copies only the caller; throws std::logic_error otherwise) and SIGPIPE is ignored
// (tour::CurlGlobal does it). Throws std::invalid_argument for workers < 1.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            int workers, tour::Progress& progress, const CrashSwitch& crash = {});

}  // namespace processes
