// Chapter 2, the futures model: `--model futures`.
//
// The Python it mirrors (concurrent.futures, with the semaphore idiom that caps requests):
//
//     in_flight = threading.Semaphore(10)
//
//     def download_site(url):
//         with in_flight:                      # at most 10 requests at once
//             with requests.get(url) as response:
//                 return response
//
//     with ThreadPoolExecutor(max_workers=len(sites)) as executor:
//         futures = [executor.submit(download_site, url) for url in sites]
//         results = [f.result() for f in futures]   # in order; re-raises a task's exception
//
// std::async is submit() without an executor you can size: libstdc++ starts a new thread for
// every std::launch::async task (there is no pool behind it), so the cap on requests is a
// semaphore, not a number of threads.
#include "futures.hpp"

#include <algorithm>
#include <cstddef>
#include <exception>
#include <future>
#include <semaphore>
#include <stdexcept>
#include <system_error>

namespace threads {
namespace {

// [docs:permit]
// One of the semaphore's permits, held for as long as this object lives (RAII, like
// Python's `with in_flight:`): given back even when the request throws.
class Permit {
public:
    explicit Permit(std::counting_semaphore<>& permits) : permits_(permits) { permits_.acquire(); }
    ~Permit() { permits_.release(); }
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;

private:
    std::counting_semaphore<>& permits_;
};
// [/docs:permit]

}  // namespace

std::vector<tour::FetchResult> download_with_futures(const std::vector<std::string>& urls,
                                                     const tour::FetchOptions& options, int max_in_flight,
                                                     const tour::RunStop& stop, tour::Progress& progress) {
    return download_with_futures(urls, tour::http_sessions(options, &stop), max_in_flight, stop, progress);
}

// [docs:download_with_futures]
std::vector<tour::FetchResult> download_with_futures(const std::vector<std::string>& urls,
                                                     const tour::NewSession& new_session, int max_in_flight,
                                                     const tour::RunStop& stop, tour::Progress& progress) {
    if (max_in_flight < 0) throw std::invalid_argument("max_in_flight must be 0 (no cap) or more");
    // Shared by every task: the semaphore (it is made for that: acquire and release are
    // thread-safe), `stop` and `progress` (both thread-safe: common/stop.hpp, common/report.hpp),
    // and `new_session` and `urls`, which nobody writes while tasks run.
    const auto cap = max_in_flight == 0 ? std::max<std::ptrdiff_t>(1, std::ssize(urls)) : max_in_flight;
    std::counting_semaphore<> in_flight(cap);

    // A task owns everything it touches but the shared objects above: its own session (so its
    // own connection: nothing is reused between tasks), its own result. No try/catch: whatever it
    // throws is stored in its future and thrown again by get(). It tells `progress` its result
    // itself, at once (--fail-fast must not wait for the in-order collection below).
    auto download_site = [&in_flight, &new_session, &stop, &progress](const std::string& url) {
        // [docs:task_stop]
        // No stop_token can wake a task waiting here, but after a stop each holder's transfer
        // is aborted, and each task that then gets a permit hands it straight back.
        const Permit permit(in_flight);  // waits while `cap` requests are in flight
        if (stop.stop_requested()) {
            tour::FetchResult result = tour::cancelled(url, stop.reason());
            progress.completed(result);
            return result;
        }
        // [/docs:task_stop]
        const tour::Fetch fetch = new_session();  // this task's own session
        tour::FetchResult result = fetch(url);
        result.url = url;
        progress.completed(result);
        return result;
    };

    // executor.submit, once per URL. std::launch::async says "a new thread, now": without it
    // the implementation may defer the task until get() (futures_pitfalls.cpp shows it).
    std::vector<std::future<tour::FetchResult>> futures;
    futures.reserve(urls.size());
    for (const std::string& url : urls) {
        try {
            futures.push_back(std::async(std::launch::async, download_site, std::cref(url)));
        } catch (const std::system_error&) {
            // The OS refused a thread (EAGAIN). A promise makes a future that already holds
            // the exception, so get() below reports this URL like any failed task.
            std::promise<tour::FetchResult> refused;
            refused.set_exception(std::current_exception());
            futures.push_back(refused.get_future());
        }
    }

    // [f.result() for f in futures]: in input order; get() waits for that task and hands over
    // its result, or rethrows its exception here, on this thread. (Had anything escaped this
    // loop, each remaining future's destructor would still wait for its task: no task can
    // outlive `in_flight` or `new_session`.)
    std::vector<tour::FetchResult> results(urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        try {
            results[i] = futures[i].get();
        } catch (const std::exception& e) {
            results[i].url = urls[i];
            results[i].error = std::string("exception in task: ") + e.what();
            progress.completed(results[i]);  // a task that threw reported nothing itself
        } catch (...) {
            results[i].url = urls[i];
            results[i].error = "exception in task (not a std::exception)";
            progress.completed(results[i]);
        }
        results[i].worker = static_cast<int>(i);  // every task ran on a thread of its own
    }
    return results;
}
// [/docs:download_with_futures]

}  // namespace threads
