// Chapter 5: one CPU-bound job, seven ways to run it.
//
// Real Python's CPU-bound example (the demo itself only downloads):
//
//     def find_sums(numbers):                      # serial
//         for number in numbers: cpu_bound(number)
//     with concurrent.futures.ThreadPoolExecutor() as executor:   # threads: no faster, often slower (GIL hand-off)
//         executor.map(cpu_bound, numbers)
//     with multiprocessing.Pool() as pool:          # processes: faster, one per core
//         pool.map(cpu_bound, numbers)
//
// In C++ there is no interpreter lock: threads run on all cores at once, so threads and
// processes both speed CPU-bound work up. The event loop does not: it is concurrency (taking
// turns on one thread), not parallelism.
#include "cpu_models.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <system_error>
#include <thread>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/thread_pool.hpp>

#include "common/posix.hpp"

#if TOUR_HAVE_PAR
#include <execution>
#endif

namespace cpu {

// [docs:serial]
std::vector<TaskResult> run_serial(std::span<const Task> tasks, Work work) {
    std::vector<TaskResult> results;
    results.reserve(tasks.size());
    for (const Task& task : tasks) results.push_back(work(task));
    return results;
}
// [/docs:serial]

// [docs:threads]
std::vector<TaskResult> run_threads(std::span<const Task> tasks, int workers, Work work) {
    // One slot per task, sized before any thread starts: each slot is written by exactly
    // one thread, so the slots need no lock. (Growing the vector while threads run would
    // move the slots under their feet: never push_back from several threads.)
    std::vector<TaskResult> results(tasks.size());
    // The only shared mutable state: the index of the next task nobody has taken yet.
    // fetch_add hands every index out exactly once (next++ on a std::atomic is fetch_add).
    std::atomic<std::size_t> next{0};
    {
        std::vector<std::jthread> threads;
        for (int w = 0; w < workers; ++w) {
            threads.emplace_back([&] {
                for (std::size_t i = next++; i < tasks.size(); i = next++) results[i] = work(tasks[i]);
            });
        }
    }  // every jthread joins here; after the join their writes to `results` are visible here
    return results;
}
// [/docs:threads]

namespace {

// What a child writes for one task. Plain data in MAP_SHARED memory: no pointers, no
// std::vector (its heap buffer would be the child's private copy, invisible to the parent).
struct Slot {
    TaskResult result;
    int done;  // set by the child after `result`; read by the parent only after waitpid
};

// The shared memory, unmapped when the parent is done with it.
class SharedSlots {
public:
    explicit SharedSlots(std::size_t count) : bytes_(std::max<std::size_t>(count, 1) * sizeof(Slot)) {
        void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap");
        slots_ = static_cast<Slot*>(p);  // mmap's pages start zeroed: every `done` is 0
    }
    ~SharedSlots() { munmap(slots_, bytes_); }
    SharedSlots(const SharedSlots&) = delete;
    SharedSlots& operator=(const SharedSlots&) = delete;
    Slot& operator[](std::size_t i) { return slots_[i]; }

private:
    std::size_t bytes_;
    Slot* slots_;
};

}  // namespace

// [docs:processes]
std::vector<TaskResult> run_processes(std::span<const Task> tasks, int workers, Work work) {
    // fork() copies only the calling thread. A lock another thread held at that moment stays
    // locked in the child for ever (malloc's, stdio's...). So: fork only while single-threaded.
    if (const std::size_t n = tour::thread_count(); n != 1) {
        throw std::logic_error("run_processes: fork needs a single-threaded process, this one has " + std::to_string(n) + " threads");
    }
    // After fork the child's memory is a copy: its writes to a std::vector would stay in the
    // child. Memory mapped MAP_SHARED before the fork is the same memory in both processes.
    SharedSlots slots(tasks.size());
    std::vector<pid_t> children;
    for (int w = 0; w < workers; ++w) {
        const pid_t pid = fork();
        if (pid == 0) {  // the child: do every workers-th task, starting at task w
            for (std::size_t i = static_cast<std::size_t>(w); i < tasks.size(); i += static_cast<std::size_t>(workers)) {
                slots[i].result = work(tasks[i]);
                slots[i].done = 1;
            }
            // _exit, not exit or return: no atexit handlers, no destructors of the parent's
            // objects, no second flush of the stdio buffers the child inherited.
            _exit(0);
        }
        if (pid < 0) {  // out of processes: stop the children we have, then give up
            const int fork_error = errno;  // before kill and waitpid can change it
            for (pid_t child : children) kill(child, SIGKILL);
            for (pid_t child : children) tour::reap(child);
            throw std::system_error(fork_error, std::generic_category(), "fork");
        }
        children.push_back(pid);
    }
    // Reap every child, even after a failure (an unreaped child stays a zombie). waitpid
    // also orders memory: what a child wrote before exiting is visible to us after it.
    std::string failures;
    for (std::size_t w = 0; w < children.size(); ++w) {
        const int status = tour::reap(children[w]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            failures += " worker " + std::to_string(w) + " " + tour::describe_wait_status(status) + ";";
        }
    }
    std::vector<TaskResult> results;
    std::string lost;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        if (!slots[i].done) lost += " " + std::to_string(i);
        results.push_back(slots[i].result);
    }
    if (!failures.empty() || !lost.empty()) {
        throw ChildFailed("child process failed:" + failures + (lost.empty() ? "" : " tasks lost:" + lost));
    }
    return results;
}
// [/docs:processes]

// [docs:event_loop]
std::vector<TaskResult> run_event_loop(std::span<const Task> tasks, Work work) {
    asio::io_context loop;
    std::vector<TaskResult> results(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        asio::post(loop, [&results, &tasks, work, i] { results[i] = work(tasks[i]); });
    }
    // run() calls the handlers one after another on this thread. A handler that computes
    // never waits for anything, so there is nothing to overlap: like asyncio with no await,
    // the total is the sum of the tasks.
    loop.run();
    return results;
}
// [/docs:event_loop]

// [docs:thread_pool]
std::vector<TaskResult> run_thread_pool(std::span<const Task> tasks, int workers, Work work) {
    std::vector<TaskResult> results(tasks.size());  // one slot per task, as in run_threads
    asio::thread_pool pool(static_cast<std::size_t>(workers));
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        asio::post(pool, [&results, &tasks, work, i] { results[i] = work(tasks[i]); });
    }
    pool.join();  // waits until every posted task has run and the threads have ended
    return results;
}
// [/docs:thread_pool]

// [docs:oversubscribed]
std::vector<TaskResult> run_oversubscribed(std::span<const Task> tasks, int threads, Work work) {
    // Every thread does 1/threads of every task, so all of them have work at the same time:
    // far more runnable threads than cores, which the kernel must time-slice.
    const auto n = static_cast<std::size_t>(threads);
    // Each thread sums into its own vector (its own heap block): no sharing while they run.
    std::vector<std::vector<TaskResult>> partial(n, std::vector<TaskResult>(tasks.size()));
    {
        std::vector<std::jthread> pool;
        for (std::size_t t = 0; t < n; ++t) {
            pool.emplace_back([&, t] {
                for (std::size_t i = 0; i < tasks.size(); ++i) partial[t][i] = work(slice(tasks[i], t, n));
            });
        }
    }  // joined: now add the pieces up
    std::vector<TaskResult> results(tasks.size());
    for (const auto& mine : partial) {
        for (std::size_t i = 0; i < tasks.size(); ++i) results[i] += mine[i];
    }
    return results;
}
// [/docs:oversubscribed]

bool par_available() { return TOUR_HAVE_PAR != 0; }

#if TOUR_HAVE_PAR
// [docs:par]
std::vector<TaskResult> run_par(std::span<const Task> tasks, Work work) {
    std::vector<TaskResult> results(tasks.size());
    // The parallel overload may call `work` on any thread of TBB's pool, in any order;
    // each call writes only its own output element.
    std::transform(std::execution::par, tasks.begin(), tasks.end(), results.begin(), work);
    return results;
}
// [/docs:par]
#else
std::vector<TaskResult> run_par(std::span<const Task>, Work) {
    throw std::logic_error("this build has no std::execution::par: install libtbb-dev and re-run cmake");
}
#endif

// Serial first (the baseline), processes second: fork must happen before this process has
// ever had a second thread alive. TBB's threads outlive run_par, so par goes last.
std::vector<Model> models(int workers, int oversubscribed_threads) {
    const int w = workers, over = oversubscribed_threads;
    return {
        {"serial", "Serial", 1, [](auto t) { return run_serial(t); }},
        {"processes", "Processes", w, [w](auto t) { return run_processes(t, w); }},
        {"threads", "Threads", w, [w](auto t) { return run_threads(t, w); }},
        {"event-loop", "Event loop", 1, [](auto t) { return run_event_loop(t); }},
        {"thread-pool", "Thread pool", w, [w](auto t) { return run_thread_pool(t, w); }},
        {"oversubscribed", "Oversubscribed threads", over, [over](auto t) { return run_oversubscribed(t, over); }},
        {"par", "Parallel algorithm", 0, [](auto t) { return run_par(t); }},
    };
}

}  // namespace cpu
