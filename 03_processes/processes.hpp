// Chapter 3: a pool of worker processes. The parent forks N workers, deals them URLs one at a
// time through a pipe each, and reads their results back through another pipe each. A worker
// is a separate process: its memory, its libcurl handle and its connection are its own, and
// its crash is not the parent's crash.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/report.hpp"
#include "common/stop.hpp"

namespace processes {

// The default pool size: one worker per CPU online, like multiprocessing.Pool() (os.cpu_count()
// up to Python 3.12; from 3.13 os.process_cpu_count(), the CPUs in the process's affinity mask).
int default_workers();

// What can stop a run early (docs/03-processes.md, "Stopping"). All optional: a default Stop
// never stops.
struct Stop {
    tour::RunStop* run = nullptr;                   // the run's stop; --fail-fast: Progress asks it
    tour::StopSignals* signals = nullptr;           // SIGINT/SIGTERM as data, polled beside the pipes
    std::optional<tour::Clock::duration> deadline;  // the whole run's, counted from the call (needs `run`)
};

// Download every URL with `workers` forked processes (never more processes than URLs). Returns
// one FetchResult per URL, in input order. A worker that dies (a signal, or a non-zero exit)
// costs exactly the URL it was holding: that URL's error says "lost: worker 1 killed by
// SIGKILL"; the URLs nobody had taken yet are fetched by the surviving workers. Every child is
// reaped before this returns (or throws). Preconditions: the calling process has ONE thread
// (fork copies only the caller; throws std::logic_error otherwise) and SIGPIPE is ignored
// (tour::CurlGlobal does it). Throws std::invalid_argument for workers < 1.
//
// When `stop` says stop (its deadline passes, a first SIGINT/SIGTERM arrives on its signals, or
// something asks stop.run, e.g. Progress for --fail-fast), nothing more is dealt, every worker is
// told (its `tasks` pipe closed) and aborts its transfer in flight; a worker that has not ended
// 2 s later is killed. Every URL not fetched is then a cancelled result (stop.run's reason).
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            int workers, tour::Progress& progress, const Stop& stop = {});

// The same, each worker's session made by `new_session`, called in the worker after fork (the
// one above passes tour::http_sessions(options, stop.run); a test passes its own, which aborts a
// transfer when the worker's copy of *stop.run says stop, or not at all: a stuck worker).
// `options` gives the request timeout the deadlines are built on.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            const tour::NewSession& new_session, int workers, tour::Progress& progress,
                                            const Stop& stop = {});

}  // namespace processes
