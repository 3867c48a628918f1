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
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "common/posix.hpp"
#include "common/text.hpp"  // seconds_text
#include "record.hpp"

namespace processes {
namespace {

// From common/posix.hpp: an owned file descriptor, whole-record pipe I/O (read()/write() may
// move less than asked, or be interrupted by a signal), and reaping a child.
using tour::Fd;
using tour::read_all;
using tour::write_all;

// What a worker asks its own copy of the run's RunStop to stop with. A worker cannot know why the
// parent stopped (a deadline, Ctrl-C, a failure with --fail-fast); the parent can, and gives each
// URL a worker reports as cancelled the parent's reason (see collect).
constexpr tour::StopReason told_to_stop = tour::StopReason::terminated;

// [docs:listen_for_stop]
// The parent's word to stop is closing `tasks`. Mid-transfer nobody reads that pipe, so this
// thread waits for its hang-up (poll() asked for no event sees only POLLHUP, never takes an
// index) and asks this process's RunStop to stop: libcurl's progress callback then aborts.
void listen_for_stop(int task_fd, tour::RunStop& stop) {
    std::thread([task_fd, &stop] {
        pollfd hang_up{task_fd, 0, 0};
        while (::poll(&hang_up, 1, -1) < 0 && errno == EINTR) {
        }
        stop.request(told_to_stop);
    }).detach();  // never joined: the worker leaves by _exit(), which ends every thread
}
// [/docs:listen_for_stop]

// [docs:worker_main]
// The whole life of a worker process, after fork(). It never returns: a child that returned
// from here would carry on running the PARENT's code (the rest of download_all, then main's
// report, then a second copy of every destructor). So every exception stops here, and the
// process ends with _exit(), which skips atexit handlers and static destructors and does not
// flush the stdio buffers the child inherited (with exit(), they would be written twice).
[[noreturn]] void worker_main(int task_fd, int result_fd, const std::vector<std::string>& urls,
                              const tour::NewSession& new_session, tour::RunStop& stop) {
    int status = 0;
    try {
        // The worker's own libcurl handle, created after fork(), like Pool's initializer. A
        // handle made before fork would be copied into every child along with its open
        // connection: two processes talking on one TCP socket.
        const tour::Fetch fetch = new_session();
        listen_for_stop(task_fd, stop);  // `stop`: this process's copy of the run's RunStop
        std::uint32_t index = 0;
        // End of file: no more work, or the parent's word to stop. A transfer the word
        // interrupted comes back from fetch() cancelled and is sent like any other result.
        while (read_all(task_fd, &index, sizeof index)) {
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
    tour::Clock::duration allowance{};     // the time it was given (counted again after a pause)
    bool told = false;                     // told to stop: its `tasks` closed while the run stops
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

// How long a worker told to stop may take to send what it has and exit: libcurl looks at the
// stop about once a second while it waits for a server, so twice that. A worker later than
// this (stopped, or stuck where nothing asks the stop) is killed, and its URL is cancelled.
constexpr auto stop_grace = std::chrono::seconds(2);

// The deadline: now plus `allowance`, kept so that a pause can start it again (ContinuedWatch).
void set_deadline(Worker& w, tour::Clock::duration allowance) {
    w.allowance = allowance;
    w.deadline = tour::Clock::now() + allowance;
}

// SIGINT and SIGTERM blocked in this thread (a worker's only one, until listen_for_stop starts
// a second, which inherits the mask): pending until the process ends, never acted on.
void block_stop_signals() {
    const sigset_t both = tour::stop_signal_set();
    ::pthread_sigmask(SIG_BLOCK, &both, nullptr);
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
// that misses its deadline is killed, and its URL reported as lost. Time the parent itself
// spends stopped does not count against a worker (see ContinuedWatch). Once the run must stop,
// nothing more is dealt.
void deal(Worker& w, std::size_t& next, std::size_t url_count, const tour::FetchOptions& options,
          const tour::RunStop& stop) {
    if (next < url_count && !stop.stop_requested()) {
        const auto index = static_cast<std::uint32_t>(next++);
        w.holding = index;
        set_deadline(w, options.total_timeout + grace_period);
        // If the worker died a moment ago this write fails (EPIPE); `holding` is then
        // reported as lost when its EOF arrives (see collect).
        write_all(w.tasks.get(), &index, sizeof index);
    } else {
        set_deadline(w, stop.stop_requested() ? stop_grace : grace_period);
        w.told = stop.stop_requested();
        w.tasks.close();  // EOF on its `tasks` pipe: the worker finishes and _exit()s
    }
}
// [/docs:deal]

// [docs:tell_workers_to_stop]
// The run must stop (its deadline, a signal, a failure with --fail-fast): give every worker that
// still has a `tasks` pipe the word, by closing it (listen_for_stop hears it mid-transfer). It
// now has stop_grace, not the request timeout, to send what it holds and exit.
void tell_workers_to_stop(std::vector<Worker>& pool) {
    for (Worker& w : pool) {
        if (!w.tasks) continue;  // told already, dead, or leaving with no more work
        w.tasks.close();
        w.told = true;
        set_deadline(w, stop_grace);
    }
}
// [/docs:tell_workers_to_stop]

// [docs:start_workers]
// Fork `count` workers, a pipe each way for each, and deal each its first URL.
std::vector<Worker> start_workers(std::size_t count, const std::vector<std::string>& urls,
                                  const tour::FetchOptions& options, const tour::NewSession& new_session,
                                  tour::RunStop& stop, std::size_t& next) {
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
            // A terminal's Ctrl-C goes to every process of the foreground group, workers too.
            // They keep SIGINT and SIGTERM blocked (as the parent's StopSignals has them) and
            // wait for the parent's word: one process decides, and no worker dies by the key
            // with its results unsent. A second Ctrl-C ends the parent, and us with it.
            block_stop_signals();
            // The child inherited a copy of every open descriptor, including the parent's ends
            // of the earlier workers' pipes. Close them: a sibling holding a copy of worker 0's
            // `tasks` write end would keep worker 0 from ever seeing EOF.
            for (Worker& earlier : pool) {
                earlier.tasks.close();
                earlier.results.close();
            }
            task_write.close();
            result_read.close();
            worker_main(task_read.get(), result_write.get(), urls, new_session, stop);
        }
        pool[id].pid = pid;
        pool[id].tasks = std::move(task_write);
        pool[id].results = std::move(result_read);
        deal(pool[id], next, urls.size(), options, stop);  // its first URL waits in the pipe until the worker reads it
    }  // the child's ends (task_read, result_write) close here, in the parent
    return pool;
}
// [/docs:start_workers]

// Set by the SIGCONT handler: this process was stopped (Ctrl-Z, kill -STOP) and has just been
// continued. A stop freezes the parent's view but not the clock, so on waking every deadline
// looks past. The parent cannot tell how long it was stopped, nor whether the workers were
// stopped with it (Ctrl-Z stops the whole foreground group), so it starts every deadline
// again: time the parent spent stopped is not a worker's fault. Only a flag, written by the
// handler and read by the loop: all a signal handler may safely do.
volatile std::sig_atomic_t continued = 0;

// Installs the SIGCONT handler for the parent's loop and restores the old one at the end.
// SA_RESTART: read(), write() and waitpid() carry on after the handler; poll() never restarts
// after a handler, so the loop wakes with EINTR and sees the flag. Workers forked meanwhile
// inherit the handler: harmless, nothing in a worker reads its copy of the flag.
class ContinuedWatch {
public:
    ContinuedWatch() {
        struct sigaction action {};
        action.sa_handler = [](int) { continued = 1; };
        action.sa_flags = SA_RESTART;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGCONT, &action, &old_);
        continued = 0;
    }
    ~ContinuedWatch() { ::sigaction(SIGCONT, &old_, nullptr); }
    ContinuedWatch(const ContinuedWatch&) = delete;
    ContinuedWatch& operator=(const ContinuedWatch&) = delete;

private:
    struct sigaction old_ {};
};

// Every deadline starts again from now, with the time each worker was given.
void restart_deadlines(std::vector<Worker>& pool) {
    for (Worker& w : pool) w.deadline = tour::Clock::now() + w.allowance;
}

// What can stop the run, as the parent's loop sees it.
struct RunEnd {
    tour::RunStop& stop;                              // says stop, and why (Progress asks it for --fail-fast)
    tour::StopSignals* signals;                       // SIGINT and SIGTERM as data; nullptr: not watched
    tour::Clock::time_point deadline;                 // the run's --deadline; time_point::max(): none
};

// Block until some worker has something to say (a result, or its end), a signal is pending, or
// the first deadline passes (a worker's or the run's). Then read the signals (the first asks the
// run to stop, a second ends the process here), stop the run at its deadline, and kill every
// worker that is past its deadline and has nothing to say (its EOF follows). Returns what poll
// saw, one entry per worker, in pool order.
std::vector<pollfd> wait_for_workers(std::vector<Worker>& pool, const RunEnd& end) {
    std::vector<pollfd> fds;
    auto first_deadline = tour::Clock::time_point::max();
    for (const Worker& w : pool) {
        fds.push_back({w.results.get(), POLLIN, 0});  // -1 once closed: ignored by poll
        if (w.results) first_deadline = std::min(first_deadline, w.deadline);
    }
    if (!end.stop.stop_requested()) first_deadline = std::min(first_deadline, end.deadline);
    fds.push_back({end.signals ? end.signals->fd() : -1, POLLIN, 0});  // last: the signals
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(first_deadline - tour::Clock::now());
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait.count(), 0, 60'000))) < 0) {
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
        for (pollfd& fd : fds) fd.revents = 0;  // interrupted by a signal: nothing seen, look again
    }
    if (fds.back().revents != 0) end.signals->handle(end.stop);
    fds.pop_back();
    // The time is read before the flag: if the parent is stopped after this line, the flag
    // is set by the time it is read, and if after the flag, `now` is from before the stop.
    const auto now = tour::Clock::now();
    if (continued) {
        continued = 0;
        restart_deadlines(pool);
        return fds;
    }
    if (now >= end.deadline) end.stop.request(tour::StopReason::deadline);
    for (std::size_t id = 0; id < pool.size(); ++id) {
        Worker& w = pool[id];
        // An answer already waiting in the pipe is on time, however late the parent is to
        // read it: collect reads it first. Only a worker with nothing to say is judged.
        if (w.results && fds[id].revents == 0 && !w.missed_deadline && now >= w.deadline) {
            ::kill(w.pid, SIGKILL);  // late: its EOF comes next
            w.missed_deadline = true;
        }
    }
    return fds;
}

// Why worker `id` ended, for a human: "worker 1 killed by SIGKILL".
std::string how_it_ended(const Worker& w, std::size_t id, int status, const tour::FetchOptions& options) {
    std::string how = "worker " + std::to_string(id) + " ";
    if (!w.missed_deadline) return how + tour::describe_wait_status(status);
    if (w.told) return how + "did not stop within " + tour::seconds_text(stop_grace) + " of being told and was killed";
    return how + "missed its deadline (" + tour::seconds_text(options.total_timeout) + " + " + tour::seconds_text(grace_period) +
           ") and was killed";
}

// [docs:collect]
// Read whatever comes first from any worker, until every worker has ended: a result (store it,
// deal that worker its next URL), or the end of a worker. Once the run must stop, tell every
// worker (and deal no more). Returns why workers died ("worker 1 killed by SIGKILL; ..."), for
// the URLs nobody was left to take.
std::string collect(std::vector<Worker>& pool, std::vector<tour::FetchResult>& results, std::size_t& next,
                    const tour::FetchOptions& options, const RunEnd& end, tour::Progress& progress) {
    std::string deaths;
    for (std::size_t alive = pool.size(); alive > 0;) {
        const std::vector<pollfd> fds = wait_for_workers(pool, end);
        for (std::size_t id = 0; id < pool.size(); ++id) {
            if (fds[id].fd < 0 || fds[id].revents == 0) continue;
            Worker& w = pool[id];
            Record record;
            const bool got = read_all(w.results.get(), &record, sizeof record);
            if (got && w.holding == record.index) {
                tour::FetchResult& r = results[record.index];
                from_record(record, r);  // record.hpp
                if (r.error == tour::cancelled_text(told_to_stop)) {  // stopped mid-transfer: say why
                    r.cancelled = end.stop.reason();
                    r.error = tour::cancelled_text(r.cancelled);
                }
                r.worker = static_cast<int>(id);
                progress.completed(r);  // with --fail-fast, the first failure asks the run to stop
                w.holding.reset();
                deal(w, next, results.size(), options, end.stop);
                continue;
            }
            // End of file: the worker has exited, cleanly or not. Reap it (no zombie), and if
            // it was holding a URL, that URL is lost: say which and why. It is not retried: a
            // URL that kills its worker would kill the next one too. A worker killed for not
            // stopping in time costs its URL too, as cancelled: the run's stop cost it.
            if (got) ::kill(w.pid, SIGKILL);  // answered a URL it was never dealt: cannot happen
            w.results.close();
            w.tasks.close();
            const int status = tour::reap(std::exchange(w.pid, -1));
            --alive;
            const std::string how = how_it_ended(w, id, status, options);
            if (status != 0) deaths += (deaths.empty() ? "" : "; ") + how;
            if (w.holding) {
                tour::FetchResult& r = results[*w.holding];
                if (w.told && w.missed_deadline) {
                    r = tour::cancelled(r.url, end.stop.reason());
                } else {
                    r.error = "lost: " + how;
                }
                r.worker = static_cast<int>(id);
                progress.completed(r);
                w.holding.reset();
            }
        }
        if (end.stop.stop_requested()) tell_workers_to_stop(pool);
    }
    return deaths;
}
// [/docs:collect]
}  // namespace

int default_workers() {
    const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? static_cast<int>(cores) : 1;
}

// The programs' sessions: real ones, whose transfers stop when the run's RunStop says so.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            int workers, tour::Progress& progress, const Stop& stop) {
    return download_all(urls, options, tour::http_sessions(options, stop.run), workers, progress, stop);
}

// [docs:download_all]
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            const tour::NewSession& new_session, int workers, tour::Progress& progress,
                                            const Stop& stop) {
    if (workers < 1) throw std::invalid_argument("workers must be at least 1");
    if (!stop.run && (stop.signals || stop.deadline)) throw std::invalid_argument("signals or a deadline need a RunStop");
    // fork() copies only the calling thread. A lock another thread held at that moment (in
    // malloc, in stdio, in libcurl) stays locked in the child for ever. Fork single-threaded.
    if (const std::size_t n = tour::thread_count(); n != 1) {
        throw std::logic_error("processes::download_all: fork needs a single-threaded process, this one has " +
                               std::to_string(n) + " threads");
    }
    tour::RunStop never_stopped;  // the run's stop when the caller gave none
    const RunEnd end{stop.run ? *stop.run : never_stopped, stop.signals,
                     stop.deadline ? tour::Clock::now() + *stop.deadline : tour::Clock::time_point::max()};
    std::vector<tour::FetchResult> results(urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) results[i].url = urls[i];

    // Nothing here is shared memory: after fork() each process has its own copy of every
    // variable, and a child's writes never reach the parent. Everything a worker tells the
    // parent travels through its `results` pipe; everything the parent tells a worker through
    // its `tasks` pipe. Only the parent touches `results`, `next` and `progress`.
    std::size_t next = 0;  // the first URL not yet dealt
    const ContinuedWatch watch;  // a stopped parent restarts the deadlines when it is continued
    const std::size_t count = std::min(urls.size(), static_cast<std::size_t>(workers));
    std::vector<Worker> pool = start_workers(count, urls, options, new_session, end.stop, next);
    const std::string deaths = collect(pool, results, next, options, end, progress);

    // URLs nobody was dealt: the stop kept them from starting, or every worker died.
    for (std::size_t i = next; i < urls.size(); ++i) {
        if (end.stop.stop_requested()) {
            results[i] = tour::cancelled(urls[i], end.stop.reason());
        } else {
            results[i].error = "not fetched: every worker process died (" + deaths + ")";
        }
        progress.completed(results[i]);
    }
    return results;
}
// [/docs:download_all]

}  // namespace processes
