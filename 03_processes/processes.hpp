// Chapter 3: a pool of worker processes. The parent forks N workers, deals them URLs one at a
// time through a pipe each, and reads their results back through another pipe each. A worker
// is a separate process: its memory, its libcurl handle and its connection are its own, and
// its crash is not the parent's crash.
#pragma once

#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/report.hpp"

namespace processes {

// The default pool size: one worker per CPU online, like multiprocessing.Pool() (os.cpu_count()
// up to Python 3.12; from 3.13 os.process_cpu_count(), the CPUs in the process's affinity mask).
int default_workers();

// Download every URL with `workers` forked processes (never more processes than URLs). Returns
// one FetchResult per URL, in input order. A worker that dies (a signal, or a non-zero exit)
// costs exactly the URL it was holding: that URL's error says "lost: worker 1 killed by
// SIGKILL"; the URLs nobody had taken yet are fetched by the surviving workers. Every child is
// reaped before this returns (or throws). Preconditions: the calling process has ONE thread
// (fork copies only the caller; throws std::logic_error otherwise) and SIGPIPE is ignored
// (tour::CurlGlobal does it). Throws std::invalid_argument for workers < 1.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            int workers, tour::Progress& progress);

// The same, each worker's session made by `new_session`, called in the worker after fork (the
// one above passes tour::http_sessions(options); a test passes its own). `options` gives the
// request timeout the deadlines are built on.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            const tour::NewSession& new_session, int workers, tour::Progress& progress);

}  // namespace processes
