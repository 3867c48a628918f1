// futures_pitfalls: what std::async does that Python's executor.submit does not, shown with real
// requests to the embedded simulator (every page held 300 ms, so the timings read easily).
//
//   ./build/02_threads/futures_pitfalls
//
// 1. The default launch policy may defer: the task then runs only when get() is called, on the
//    caller's thread, and never if nobody calls it.
// 2. The future std::async returns waits for its task in its destructor: a "fire and forget"
//    loop runs its tasks one after another.
// 3. An exception thrown by a task travels through get() to the thread that asks; get() works
//    once.
// 4. std::packaged_task: a task and its future without a thread, for a pool to run (what
//    executor.submit does inside).
// The simulator counts requests in flight at its end: the figures after "server:" do not
// depend on timing.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include "common/fetch.hpp"
#include "simulator/sitesim_process.hpp"

namespace {

using namespace std::chrono_literals;

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

const char* name_of(std::future_status status) {
    switch (status) {
        case std::future_status::ready: return "ready";
        case std::future_status::timeout: return "timeout (running)";
        case std::future_status::deferred: return "deferred";
    }
    return "?";
}

// What every task here does: one request, on a session of its own. A failed request throws, so
// that part 3 has an exception to carry.
tour::FetchResult fetch(const std::string& url) {
    tour::HttpSession session;
    tour::FetchResult result = session.get(url);
    if (!result.ok()) throw std::runtime_error(result.error);
    return result;
}

// While it lives, this process cannot map another thread stack: the address-space limit
// (RLIMIT_AS) leaves 2 MiB above what is mapped now, and a stack takes 8 MiB. That is how a
// machine at its limits refuses a thread (pthread_create fails with EAGAIN).
class NoRoomForAThread {
public:
    NoRoomForAThread() {
        getrlimit(RLIMIT_AS, &saved_);
        long vm_size_kib = 0;
        std::ifstream status("/proc/self/status");
        for (std::string key; status >> key;) {
            if (key == "VmSize:" && status >> vm_size_kib) break;
        }
        rlimit lowered = saved_;
        lowered.rlim_cur = static_cast<rlim_t>(vm_size_kib + 2048) * 1024;
        setrlimit(RLIMIT_AS, &lowered);
    }
    ~NoRoomForAThread() { setrlimit(RLIMIT_AS, &saved_); }
    NoRoomForAThread(const NoRoomForAThread&) = delete;
    NoRoomForAThread& operator=(const NoRoomForAThread&) = delete;

private:
    rlimit saved_{};
};

void default_policy_may_defer(const tour::SiteSimulator& sim, const std::string& url) {
    std::printf("1. The default launch policy may defer\n");
    // [docs:pitfall_deferred]
    // std::launch::deferred, asked for: nothing runs until get(), then on the caller's thread.
    const auto start = std::chrono::steady_clock::now();
    auto lazy = std::async(std::launch::deferred, [&url] {
        fetch(url);
        return std::this_thread::get_id();
    });
    std::this_thread::sleep_for(500ms);  // time enough for the request, had it started
    std::printf("   launch::deferred: after 500 ms wait_for(0s) says %s, server: %d requests so far\n",
                name_of(lazy.wait_for(0s)), sim.stats()["requests"].get<int>());
    const bool on_this_thread = lazy.get() == std::this_thread::get_id();
    std::printf("   get() returned %.0f ms after the start; the task ran on the main thread: %s\n",
                ms_since(start), on_this_thread ? "yes" : "no");

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    std::printf("   (the default policy's choice is not shown in sanitizer builds: they cannot run under an "
                "address-space limit)\n");
#else
    // The default policy is launch::async | launch::deferred: the library chooses. libstdc++
    // starts a thread, unless the OS refuses one: then it defers, without a word.
    std::future<tour::FetchResult> chosen;
    {
        const NoRoomForAThread limit;
        chosen = std::async(fetch, url);  // no policy given
        try {
            auto insisted = std::async(std::launch::async, fetch, url);
        } catch (const std::system_error& e) {
            std::printf("   no room for a thread: launch::async throws std::system_error (%s)\n", e.what());
        }
    }
    std::printf("   no room for a thread: the default policy gave a future whose wait_for(0s) says %s\n",
                name_of(chosen.wait_for(0s)));
    chosen.get();  // the request runs now, here
#endif
    // [/docs:pitfall_deferred]
}

void destructor_waits(const tour::SiteSimulator& sim, const std::vector<std::string>& urls) {
    std::printf("2. The future of std::async waits for its task in its destructor\n");
    // [docs:pitfall_destructor]
    sim.reset_stats();
    auto start = std::chrono::steady_clock::now();
    for (const std::string& url : urls) {
        auto fire_and_forget = std::async(std::launch::async, fetch, url);
    }  // ~future: waits here for the task, so the next one has not started yet
    std::printf("   'fire and forget' loop, %zu tasks: %.0f ms, server: at most %d in flight\n", urls.size(),
                ms_since(start), sim.stats()["peak_in_flight"].get<int>());

    sim.reset_stats();
    start = std::chrono::steady_clock::now();
    // [docs:futures_kept]
    std::vector<std::future<tour::FetchResult>> kept;
    for (const std::string& url : urls) kept.push_back(std::async(std::launch::async, fetch, url));
    for (auto& future : kept) future.get();
    // [/docs:futures_kept]
    std::printf("   futures kept, then get() each, %zu tasks: %.0f ms, server: at most %d in flight\n", urls.size(),
                ms_since(start), sim.stats()["peak_in_flight"].get<int>());
    // [/docs:pitfall_destructor]
}

void exceptions_travel(const std::string& failing_url) {
    std::printf("3. An exception travels through get()\n");
    // [docs:pitfall_exception]
    auto failing = std::async(std::launch::async, fetch, failing_url);  // the task throws, on its thread
    try {
        failing.get();  // ... and here it is again, on this one
    } catch (const std::runtime_error& e) {
        std::printf("   get() threw std::runtime_error on the main thread: %s\n", e.what());
    }
    try {
        failing.get();  // the result (or exception) was handed over once; the future is now empty
    } catch (const std::future_error& e) {
        std::printf("   get() again: std::future_error: %s\n", e.what());
    }
    // [/docs:pitfall_exception]
}

void packaged_task(const std::string& url) {
    std::printf("4. std::packaged_task: the task now, the thread later\n");
    // [docs:packaged_task]
    std::packaged_task<tour::FetchResult(const std::string&)> task(fetch);
    std::future<tour::FetchResult> result = task.get_future();  // what executor.submit returns
    std::jthread worker(std::move(task), url);                  // a pool would take it from a queue
    const tour::FetchResult page = result.get();                // waits for the worker to run it
    std::printf("   the task ran on another thread; get() here: HTTP %ld, %llu bytes\n", page.http_status,
                static_cast<unsigned long long>(page.bytes));
    // [/docs:packaged_task]
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1) {
        const bool help = std::string_view(argv[1]) == "--help";
        std::fprintf(help ? stdout : stderr,
                     "usage: futures_pitfalls   (no options: it starts the simulator and shows std::async's "
                     "pitfalls with real requests)\n");
        return help ? 0 : 2;
    }
    try {
        tour::CurlGlobal curl;
        const tour::SiteSimulator sim(1, 150);
        std::vector<std::string> urls = sim.urls(3);
        for (std::string& url : urls) url += "?delay_ms=300";
        default_policy_may_defer(sim, urls[0]);
        destructor_waits(sim, urls);
        exceptions_travel(sim.urls(1)[0] + "?status=500");
        packaged_task(urls[0]);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "futures_pitfalls: error: %s\n", e.what());
        return 1;
    }
}
