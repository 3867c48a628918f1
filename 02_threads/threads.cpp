// Chapter 2: the thread-pool model.
//
// The Python demo's version:
//
//     thread_local = threading.local()
//
//     def get_session():
//         if not hasattr(thread_local, "session"):
//             thread_local.session = requests.Session()
//         return thread_local.session
//
//     def download_site(url):
//         session = get_session()
//         with session.get(url) as response:
//             print(f"Read {len(response.content)} from {url}")
//
//     def download_all_sites(sites):
//         with concurrent.futures.ThreadPoolExecutor(max_workers=10) as executor:
//             executor.map(download_site, sites)
//
// ThreadPoolExecutor starts the threads, hands out the work, collects the results and joins the
// threads at the end of the `with`. Below, C++ does each of those steps in the open.
#include "threads.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <stdexcept>
#include <stop_token>
#include <thread>

namespace threads {
namespace {

// [docs:fetch_one]
// One URL, on the calling worker thread. `fetch` (its session) belongs to this thread alone: made
// on first use, like the demo's get_session(), and never touched by another thread. Whatever happens,
// the outcome is a FetchResult. Network errors already are values; an exception (from the
// fetch, or from creating the session) is caught here and becomes this URL's error, because an
// exception that escapes a thread's function calls std::terminate: the whole program dies.
tour::FetchResult fetch_one(tour::Fetch& fetch, const tour::NewSession& new_session, const std::string& url) {
    const tour::Clock::time_point start = tour::Clock::now();
    std::string failure;
    try {
        if (!fetch) fetch = new_session();
        tour::FetchResult result = fetch(url);
        result.url = url;
        return result;
    } catch (const std::exception& e) {
        failure = std::string("exception in worker: ") + e.what();
    } catch (...) {
        failure = "exception in worker (not a std::exception)";
    }
    tour::FetchResult result;
    result.url = url;
    result.start = start;
    result.end = tour::Clock::now();
    result.error = std::move(failure);
    return result;
}
// [/docs:fetch_one]

}  // namespace

// The programs' sessions: real ones, whose transfers abort when `stop` says so.
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            int workers, const tour::RunStop& stop, tour::Progress& progress) {
    return download_all(urls, tour::http_sessions(options, &stop), workers, stop, progress);
}

// [docs:download_all]
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::NewSession& new_session,
                                            int workers, const tour::RunStop& stop, tour::Progress& progress) {
    if (workers < 0) throw std::invalid_argument("workers must be 0 (one thread per URL) or more");
    // --workers 0 is simply a pool as large as the list; no pool needs more threads than URLs.
    const std::size_t thread_count =
        workers == 0 ? urls.size() : std::min(urls.size(), static_cast<std::size_t>(workers));

    // The shared state, all of it, and why each piece is safe without a lock:
    //
    // `urls`, `new_session`: every thread reads them, none writes them. Data that nobody
    //    writes while threads run can be shared freely.
    // `next`: the index of the first URL no thread has taken yet. fetch_add reads and
    //    increments in one indivisible step, so every index goes to exactly one thread. (With a
    //    plain std::size_t, two threads could both read 7 and both write slot 7 at once: a data
    //    race, which in C++ is undefined behaviour, not merely a wrong count.)
    // `results`: one slot per URL, made before any thread starts and never resized, so no slot
    //    ever moves. Slot i is written only by the thread that took index i; different slots are
    //    different memory locations, so writers never conflict. This thread reads the slots only
    //    after join(), which guarantees it sees everything the joined thread wrote.
    // `progress`: Progress::completed counts with an atomic and prints under a mutex, so two
    //    threads' lines never interleave (common/report.cpp).
    // `stop`: the run's std::stop_source (common/stop.hpp). Any thread may ask it to stop (the
    //    watcher on Ctrl-C or the deadline, a worker's Progress::completed on --fail-fast); each
    //    worker holds a std::stop_token of it and reads it (an atomic load) before every URL.
    // Each thread's session (an HttpSession: a libcurl handle and its connection) is a local
    // variable of that thread: not shared at all. One CURL handle must never be used by two threads.
    std::atomic<std::size_t> next{0};
    std::vector<tour::FetchResult> results(urls.size());

    // [docs:worker]
    const std::stop_token token = stop.token();  // read by every thread: a stop_token is made for that
    auto worker = [&](int worker_id) {
        tour::Fetch fetch;  // this thread's own session, made on first use
        // relaxed is enough for `next`: an index only has to be unique, and fetch_add is
        // indivisible in every memory order. Nothing else is published through it: each slot
        // reaches the caller through join(). (counter_bench.cpp measures the orders.)
        constexpr auto relaxed = std::memory_order_relaxed;
        for (std::size_t i = next.fetch_add(1, relaxed); i < urls.size(); i = next.fetch_add(1, relaxed)) {
            // Stopped: take the index (each URL gets a result) but fetch nothing.
            results[i] = token.stop_requested() ? tour::cancelled(urls[i], stop.reason())
                                                : fetch_one(fetch, new_session, urls[i]);
            results[i].worker = worker_id;
            progress.completed(results[i]);
        }
    };
    // [/docs:worker]

    std::vector<std::jthread> pool;
    pool.reserve(thread_count);
    try {
        // (A std::jthread has a stop_source of its own too, one per thread, and passes its token to
        // a function whose first parameter takes one. One stop for the whole run is one shared
        // source instead: `token` above.)
        for (std::size_t id = 0; id < thread_count; ++id) pool.emplace_back(worker, static_cast<int>(id));
    } catch (const std::exception& e) {
        // The OS refused a thread (std::system_error, EAGAIN: too many threads, or no memory for
        // one more stack). Take every index no thread has taken yet, in one atomic step: the
        // running threads then find nothing left and stop after their current URL, and each
        // untaken URL is reported with the reason instead of being silently dropped.
        const std::size_t first_untaken = std::min(next.exchange(urls.size()), urls.size());
        for (std::size_t i = first_untaken; i < urls.size(); ++i) {
            results[i].url = urls[i];
            results[i].error = "not fetched: could not start thread " + std::to_string(pool.size() + 1) + " of " +
                               std::to_string(thread_count) + ": " + e.what();
            progress.completed(results[i]);
        }
    }
    // Wait for every thread that started. A std::jthread would also join in its destructor (a
    // std::thread still running there calls std::terminate), so even an exception leaving this
    // function cannot leave a thread behind; joining here makes visible where `results` becomes
    // safe to read.
    for (std::jthread& thread : pool) thread.join();
    return results;
}
// [/docs:download_all]

}  // namespace threads
