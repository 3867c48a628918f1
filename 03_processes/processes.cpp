// Chapter 3: the process-pool model.
//
// The Python demo's version:
//
//     session = None
//
//     def set_global_session():
//         global session
//         if not session:
//             session = requests.Session()
//
//     def download_site(url):
//         with session.get(url) as response:
//             name = multiprocessing.current_process().name
//             print(f"{name}:Read {len(response.content)} from {url}")
//
//     def download_all_sites(sites):
//         with multiprocessing.Pool(initializer=set_global_session) as pool:
//             pool.map(download_site, sites)
//
// Pool() starts one process per core, runs the initializer in each (a session per process),
// sends the URLs to the workers through a pipe, and sends the results back through another.
// Below, the same steps in the open: fork(), a pipe each way per worker, poll(), waitpid().
#include "processes.hpp"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "common/posix.hpp"
#include "record.hpp"

namespace processes {
namespace {

// From common/posix.hpp: an owned file descriptor, whole-record pipe I/O (read()/write() may
// move less than asked, or be interrupted by a signal), and reaping a child.
using tour::Fd;
using tour::read_all;
using tour::write_all;

// [docs:worker_main]
// The whole life of a worker process, after fork(). It never returns: a child that returned
// from here would carry on running the PARENT's code (the rest of download_all, then main's
// report, then a second copy of every destructor). So every exception stops here, and the
// process ends with _exit(), which skips atexit handlers and static destructors and does not
// flush the stdio buffers the child inherited (with exit(), they would be written twice).
[[noreturn]] void worker_main(int task_fd, int result_fd, const std::vector<std::string>& urls,
                              const tour::NewSession& new_session) {
    int status = 0;
    try {
        // The worker's own libcurl handle, created after fork(), like Pool's initializer. A
        // handle made before fork would be copied into every child along with its open
        // connection: two processes talking on one TCP socket.
        const tour::Fetch fetch = new_session();
        std::uint32_t index = 0;
        while (read_all(task_fd, &index, sizeof index)) {  // end of file: no more work
            const Record record = to_record(index, fetch(urls.at(index)));  // record.hpp
            if (!write_all(result_fd, &record, sizeof record)) {
                status = 1;  // the parent is gone: nobody to work for
                break;
            }
        }
    } catch (...) {
        status = 2;  // e.g. curl_easy_init failed: the parent reports the URL this worker held
    }
    ::_exit(status);
}
// [/docs:worker_main]

// The parent's view of one worker.
struct Worker {
    pid_t pid = -1;                        // -1 once reaped
    Fd tasks;                              // write end: indices of URLs to fetch
    Fd results;                            // read end: one Record per URL; EOF when the worker ends
    std::optional<std::uint32_t> holding;  // the URL it was dealt and has not answered yet
    tour::Clock::time_point deadline;      // when its answer (or its exit) is overdue
    bool missed_deadline = false;          // killed by the parent for being late

    Worker() = default;
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;
    // Normally the parent has reaped the worker long before. Only if something throws while
    // workers run (fork or poll failing) does this stop and reap it: never a zombie or orphan.
    ~Worker() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            try {
                tour::reap(pid);
            } catch (const std::system_error&) {  // not our child any more: nothing to reap
            }
        }
    }
};

// How long past the request timeout a worker may take to answer: curl stops a request at the
// timeout, so a worker later than this is not slow but stuck (stopped, deadlocked, swapped out).
constexpr auto grace_period = std::chrono::seconds(5);

// "2 s", "1.5 s": for the message that names a deadline.
std::string seconds_text(std::chrono::milliseconds ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", std::chrono::duration<double>(ms).count());
    return text;
}

// [docs:deal]
// Give a free worker its next URL: `next` is the first URL not yet dealt. One URL at a time, to
// whichever worker is free, so fast workers get more: the load balances itself, as with
// pool.map. And the parent always knows which URL each worker holds (`holding`), so a worker
// that dies costs exactly that URL, reported by name. When no URL is left, close the worker's
// `tasks` pipe: at end of file it finishes and _exit()s.
//
// The deadline: a worker that neither answers nor dies (stopped with SIGSTOP, stuck) would keep
// the parent waiting for ever. So each dealt URL must be answered within the request timeout
// plus a grace period, and the worker's end (EOF) must come within the grace period; a worker
// that misses its deadline is killed, and its URL reported as lost.
void deal(Worker& w, std::size_t& next, std::size_t url_count, const tour::FetchOptions& options) {
    if (next < url_count) {
        const auto index = static_cast<std::uint32_t>(next++);
        w.holding = index;
        w.deadline = tour::Clock::now() + options.total_timeout + grace_period;
        // If the worker died a moment ago this write fails (EPIPE); `holding` is then
        // reported as lost when its EOF arrives (see collect).
        write_all(w.tasks.get(), &index, sizeof index);
    } else {
        w.deadline = tour::Clock::now() + grace_period;
        w.tasks.close();  // EOF on its `tasks` pipe: the worker finishes and _exit()s
    }
}
// [/docs:deal]

// [docs:start_workers]
// Fork `count` workers, a pipe each way for each, and deal each its first URL.
std::vector<Worker> start_workers(std::size_t count, const std::vector<std::string>& urls,
                                  const tour::FetchOptions& options, const tour::NewSession& new_session,
                                  std::size_t& next) {
    // A child inherits a copy of every unwritten stdio buffer: leave none to inherit.
    std::cout.flush();
    std::fflush(nullptr);
    std::vector<Worker> pool(count);
    for (std::size_t id = 0; id < count; ++id) {
        auto [task_read, task_write] = tour::make_pipe();
        auto [result_read, result_write] = tour::make_pipe();
        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");  // ~Worker reaps the rest
        if (pid == 0) {
            // If the parent dies (even by SIGKILL, with no chance to clean up), so do we.
            tour::die_with_parent(parent, SIGKILL);
            // The child inherited a copy of every open descriptor, including the parent's ends
            // of the earlier workers' pipes. Close them: a sibling holding a copy of worker 0's
            // `tasks` write end would keep worker 0 from ever seeing EOF.
            for (Worker& earlier : pool) {
                earlier.tasks.close();
                earlier.results.close();
            }
            task_write.close();
            result_read.close();
            worker_main(task_read.get(), result_write.get(), urls, new_session);
        }
        pool[id].pid = pid;
        pool[id].tasks = std::move(task_write);
        pool[id].results = std::move(result_read);
        deal(pool[id], next, urls.size(), options);  // its first URL waits in the pipe until the worker reads it
    }  // the child's ends (task_read, result_write) close here, in the parent
    return pool;
}
// [/docs:start_workers]

// Block until some worker has something to say (a result, or its end) or the first deadline
// passes; kill every worker that is past its deadline (its EOF follows). Returns what poll saw,
// one entry per worker, in pool order.
std::vector<pollfd> wait_for_workers(std::vector<Worker>& pool) {
    std::vector<pollfd> fds;
    auto first_deadline = tour::Clock::time_point::max();
    for (const Worker& w : pool) {
        fds.push_back({w.results.get(), POLLIN, 0});  // -1 once closed: ignored by poll
        if (w.results) first_deadline = std::min(first_deadline, w.deadline);
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(first_deadline - tour::Clock::now());
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait.count(), 0, 60'000))) < 0) {
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
        for (pollfd& fd : fds) fd.revents = 0;  // interrupted by a signal: nothing seen, look again
    }
    for (Worker& w : pool) {  // late: kill it; its EOF comes next
        if (w.results && !w.missed_deadline && tour::Clock::now() >= w.deadline) {
            ::kill(w.pid, SIGKILL);
            w.missed_deadline = true;
        }
    }
    return fds;
}

// [docs:collect]
// Read whatever comes first from any worker, until every worker has ended: a result (store it,
// deal that worker its next URL), or the end of a worker. Returns why workers died ("worker 1
// killed by SIGKILL; ..."), for the URLs nobody was left to take.
std::string collect(std::vector<Worker>& pool, std::vector<tour::FetchResult>& results, std::size_t& next,
                    const tour::FetchOptions& options, tour::Progress& progress) {
    std::string deaths;
    for (std::size_t alive = pool.size(); alive > 0;) {
        const std::vector<pollfd> fds = wait_for_workers(pool);
        for (std::size_t id = 0; id < pool.size(); ++id) {
            if (fds[id].fd < 0 || fds[id].revents == 0) continue;
            Worker& w = pool[id];
            Record record;
            const bool got = read_all(w.results.get(), &record, sizeof record);
            if (got && w.holding == record.index) {
                tour::FetchResult& r = results[record.index];
                from_record(record, r);  // record.hpp
                r.worker = static_cast<int>(id);
                progress.completed(r);
                w.holding.reset();
                deal(w, next, results.size(), options);
                continue;
            }
            // End of file: the worker has exited, cleanly or not. Reap it (no zombie), and if
            // it was holding a URL, that URL is lost: say which and why. It is not retried: a
            // URL that kills its worker would kill the next one too.
            if (got) ::kill(w.pid, SIGKILL);  // answered a URL it was never dealt: cannot happen
            w.results.close();
            w.tasks.close();
            const int status = tour::reap(std::exchange(w.pid, -1));
            --alive;
            const std::string how =
                "worker " + std::to_string(id) + " " +
                (w.missed_deadline ? "missed its deadline (" + seconds_text(options.total_timeout) + " + " +
                                         seconds_text(grace_period) + ") and was killed"
                                   : tour::describe_wait_status(status));
            if (status != 0) deaths += (deaths.empty() ? "" : "; ") + how;
            if (w.holding) {
                tour::FetchResult& r = results[*w.holding];
                r.error = "lost: " + how;
                r.worker = static_cast<int>(id);
                progress.completed(r);
                w.holding.reset();
            }
        }
    }
    return deaths;
}
// [/docs:collect]
}  // namespace

int default_workers() {
    const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? static_cast<int>(cores) : 1;
}

// The programs' sessions: real ones.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            int workers, tour::Progress& progress) {
    return download_all(urls, options, tour::http_sessions(options), workers, progress);
}

// [docs:download_all]
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            const tour::NewSession& new_session, int workers, tour::Progress& progress) {
    if (workers < 1) throw std::invalid_argument("workers must be at least 1");
    // fork() copies only the calling thread. A lock another thread held at that moment (in
    // malloc, in stdio, in libcurl) stays locked in the child for ever. Fork single-threaded.
    if (const std::size_t n = tour::thread_count(); n != 1) {
        throw std::logic_error("processes::download_all: fork needs a single-threaded process, this one has " +
                               std::to_string(n) + " threads");
    }
    std::vector<tour::FetchResult> results(urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) results[i].url = urls[i];

    // Nothing here is shared memory: after fork() each process has its own copy of every
    // variable, and a child's writes never reach the parent. Everything a worker tells the
    // parent travels through its `results` pipe; everything the parent tells a worker through
    // its `tasks` pipe. Only the parent touches `results`, `next` and `progress`.
    std::size_t next = 0;  // the first URL not yet dealt
    const std::size_t count = std::min(urls.size(), static_cast<std::size_t>(workers));
    std::vector<Worker> pool = start_workers(count, urls, options, new_session, next);
    const std::string deaths = collect(pool, results, next, options, progress);

    // Only when every worker died can URLs be left that nobody was dealt.
    for (std::size_t i = next; i < urls.size(); ++i) {
        results[i].error = "not fetched: every worker process died (" + deaths + ")";
        progress.completed(results[i]);
    }
    return results;
}
// [/docs:download_all]

}  // namespace processes
