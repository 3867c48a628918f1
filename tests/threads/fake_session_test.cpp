// Chapter 2's model given the fake sessions (tests/support/fake_session.hpp) instead of
// libcurl: what the pool does when a fetch throws, and when the OS refuses a thread. No network.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include "fake_session.hpp"
#include "futures.hpp"
#include "threads.hpp"

// The runs here are never stopped (stop_test.cpp stops them).
static const tour::RunStop never_stopped;

TEST_CASE("an exception thrown inside a worker is reported for its URL, never std::terminate") {
    std::vector<std::string> urls;
    for (int i = 0; i < 30; ++i) urls.push_back("fake://ok/" + std::to_string(i));
    urls[3] = "fake://throw/3";
    urls[17] = "fake://throw/17";
    urls[21] = "fake://throw-int";
    for (const int workers : {1, 4, 0}) {
        CAPTURE(workers);
        tour::Progress progress(urls.size(), false);
        const auto results = threads::download_all(urls, tour_test::fake_sessions(), workers, never_stopped, progress);
        REQUIRE(results.size() == urls.size());
        CHECK(progress.done() == urls.size());
        for (std::size_t i = 0; i < urls.size(); ++i) {
            CAPTURE(i);
            CHECK(results[i].url == urls[i]);
            CHECK(results[i].end >= results[i].start);
            if (i == 3 || i == 17) {
                CHECK(results[i].error == "exception in worker: boom at " + std::to_string(i));
            } else if (i == 21) {
                CHECK(results[i].error == "exception in worker (not a std::exception)");
            } else {
                CHECK_MESSAGE(results[i].ok(), results[i].error);
                CHECK(results[i].bytes == urls[i].size());
            }
        }
    }
}

TEST_CASE("every fetch throwing: every URL reports it, the run still ends") {
    const std::vector<std::string> urls(12, "fake://throw/always");
    tour::Progress progress(urls.size(), false);
    const auto results = threads::download_all(urls, tour_test::fake_sessions(), 3, never_stopped, progress);
    REQUIRE(results.size() == urls.size());
    for (const auto& r : results) CHECK(r.error == "exception in worker: boom at always");
}

TEST_CASE("futures: what a task throws travels through get() and becomes its URL's error") {
    std::vector<std::string> urls;
    for (int i = 0; i < 12; ++i) urls.push_back("fake://ok/" + std::to_string(i));
    urls[2] = "fake://throw/2";
    urls[9] = "fake://throw-int";
    for (const int cap : {1, 3, 0}) {
        CAPTURE(cap);
        tour::Progress progress(urls.size(), false);
        const auto results = threads::download_with_futures(urls, tour_test::fake_sessions(), cap, never_stopped, progress);
        REQUIRE(results.size() == urls.size());
        CHECK(progress.done() == urls.size());
        for (std::size_t i = 0; i < urls.size(); ++i) {
            CAPTURE(i);
            CHECK(results[i].url == urls[i]);
            if (i == 2) {
                CHECK(results[i].error == "exception in task: boom at 2");
            } else if (i == 9) {
                CHECK(results[i].error == "exception in task (not a std::exception)");
            } else {
                CHECK_MESSAGE(results[i].ok(), results[i].error);
                CHECK(results[i].bytes == urls[i].size());
            }
        }
    }
}

// Stopping inside the models (no network, so TSan sees the models' own stop paths): a stop while
// every fetch is waiting ends the run at once, each URL reported once, cancelled with the reason;
// with --fail-fast's Progress, one failure cancels the rest.
namespace {
using Model = std::vector<tour::FetchResult> (*)(const std::vector<std::string>&, const tour::NewSession&, int,
                                                 const tour::RunStop&, tour::Progress&);

void check_stop_mid_run(Model model) {
    const std::vector<std::string> urls(30, "fake://sleep/20000");
    tour::RunStop stop;
    tour::Progress progress(urls.size(), false);
    std::jthread stopper([&stop] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        stop.request(tour::StopReason::deadline);
    });
    const auto start = std::chrono::steady_clock::now();
    const auto results = model(urls, tour_test::fake_sessions(&stop), 4, stop, progress);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));  // not 20 s per URL
    REQUIRE(results.size() == urls.size());
    CHECK(progress.done() == urls.size());
    for (const auto& r : results) {
        CHECK(r.url == urls[0]);
        CHECK(r.cancelled == tour::StopReason::deadline);
        CHECK(r.error == "cancelled (deadline)");
    }
}

void check_fail_fast(Model model, int cap) {
    std::vector<std::string> urls(20, "fake://sleep/20000");
    urls[0] = "fake://throw/first";
    tour::RunStop stop;
    tour::Progress progress(urls.size(), false);
    progress.stop_on_failure(stop);
    const auto results = model(urls, tour_test::fake_sessions(&stop), cap, stop, progress);
    REQUIRE(results.size() == urls.size());
    CHECK(stop.reason() == tour::StopReason::fail_fast);
    CHECK(results[0].failed());
    for (std::size_t i = 1; i < urls.size(); ++i) CHECK(results[i].error == "cancelled (fail-fast)");
}
}  // namespace

TEST_CASE("pool: a stop while every worker waits cancels every URL, each reported once") {
    check_stop_mid_run(&threads::download_all);
}
TEST_CASE("futures: a stop while every task waits cancels every URL, each reported once") {
    check_stop_mid_run(&threads::download_with_futures);
}
// The pool's workers take URLs in list order, so the failing first URL is fetched first.
TEST_CASE("pool: with --fail-fast's Progress, the first failure cancels the rest") { check_fail_fast(&threads::download_all, 4); }
// Uncapped: with a cap, which waiting task gets a permit is the scheduler's choice (a
// counting_semaphore promises no order), and the failing URL waited behind four 20 s sleepers in CI.
TEST_CASE("futures, uncapped: with --fail-fast's Progress, the first failure cancels the rest") {
    check_fail_fast(&threads::download_with_futures, 0);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
namespace {

long vm_size_kib() {
    std::ifstream in("/proc/self/status");
    for (std::string key; in >> key;) {
        if (key == "VmSize:") {
            long kib = 0;
            in >> kib;
            return kib;
        }
    }
    return -1;
}

// Lowers this process's address-space limit for as long as it lives.
class AddressSpaceLimit {
public:
    explicit AddressSpaceLimit(rlim_t bytes) {
        REQUIRE(getrlimit(RLIMIT_AS, &saved_) == 0);
        rlimit lowered = saved_;
        lowered.rlim_cur = bytes;
        REQUIRE(setrlimit(RLIMIT_AS, &lowered) == 0);
    }
    ~AddressSpaceLimit() { setrlimit(RLIMIT_AS, &saved_); }
    AddressSpaceLimit(const AddressSpaceLimit&) = delete;
    AddressSpaceLimit& operator=(const AddressSpaceLimit&) = delete;

private:
    rlimit saved_{};
};

}  // namespace

// The OS refuses a thread when there is no address space left for its stack (8 MiB each by
// default): with the limit only ~48 MiB above what the process uses, thread ~5 of 200 fails.
// Each fetch waits 50 ms, keeping the started threads alive while the others are created.
// `download` runs under that limit; every URL it did not fetch must carry `refusal` (at the
// start of its error), and all the others must really have been fetched.
// (Sanitizer builds reserve terabytes of shadow memory and cannot run under such a limit.)
template <typename Download>
void check_refused_threads(Download download, const std::string& refusal) {
    const std::vector<std::string> urls(200, "fake://sleep/50");
    const std::size_t fetched_before = tour_test::fake_fetches_done();
    tour::Progress progress(urls.size(), false);
    std::vector<tour::FetchResult> results;
    {
        const long kib = vm_size_kib();
        REQUIRE(kib > 0);
        AddressSpaceLimit limit(static_cast<rlim_t>(kib + 48 * 1024) * 1024);
        results = download(urls, progress);
    }
    REQUIRE(results.size() == urls.size());
    CHECK(progress.done() == urls.size());
    std::size_t refused = 0;
    for (const auto& r : results) {
        if (r.ok()) continue;
        CAPTURE(r.error);
        CHECK(r.error.find(refusal) == 0);
        ++refused;
    }
    CHECK(refused > 0);
    CHECK(results.size() - refused == tour_test::fake_fetches_done() - fetched_before);  // the rest really ran
}

TEST_CASE("when the OS refuses a thread: the started ones are joined and the rest are reported") {
    check_refused_threads(
        [](const std::vector<std::string>& urls, tour::Progress& progress) {
            return threads::download_all(urls, tour_test::fake_sessions(), 0, never_stopped, progress);
        },
        "not fetched: could not start thread ");
}

// The futures model: std::async(std::launch::async) throws for a thread it cannot start; the
// model stores that exception in a promise's future, and get() reports it.
TEST_CASE("futures: a thread the OS refuses is that URL's error, the other tasks still run") {
    check_refused_threads(
        [](const std::vector<std::string>& urls, tour::Progress& progress) {
            return threads::download_with_futures(urls, tour_test::fake_sessions(), 0, never_stopped, progress);
        },
        "exception in task: Resource temporarily unavailable");
}
#endif
