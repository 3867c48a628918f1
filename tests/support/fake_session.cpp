#include "fake_session.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <csignal>
#include <stdexcept>
#include <string>
#include <thread>

#include <unistd.h>

namespace {
std::atomic<std::size_t> fetches_done{0};

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// fake://sleep/MS given a stop: the wait ends early when the run is stopped (the fake's
// counterpart of the progress callback aborting a transfer), and the URL is cancelled.
bool sleep_unless_stopped(std::chrono::milliseconds duration, const tour::RunStop* stop) {
    if (stop == nullptr) {
        std::this_thread::sleep_for(duration);
        return true;
    }
    std::mutex mutex;
    std::condition_variable_any wake;  // nobody notifies it: the stop token's callback does
    std::unique_lock lock(mutex);
    wake.wait_for(lock, stop->token(), duration, [] { return false; });  // ends at the stop or the time
    return !stop->stop_requested();
}

tour::FetchResult fake_get(const std::string& url, const tour::RunStop* stop) {
    using tour::Clock;
    tour::FetchResult result;
    result.url = url;
    result.start = Clock::now();
    if (starts_with(url, "fake://throw/")) throw std::runtime_error("boom at " + url.substr(13));
    if (url == "fake://throw-int") throw 42;
    if (url == "fake://kill") ::kill(::getpid(), SIGKILL);
    if (starts_with(url, "fake://exit/")) ::_exit(std::stoi(url.substr(12)));
    if (starts_with(url, "fake://sleep/") &&
        !sleep_unless_stopped(std::chrono::milliseconds(std::stoi(url.substr(13))), stop)) {
        tour::FetchResult cancelled = tour::cancelled(url, stop->reason());
        cancelled.start = result.start;
        return cancelled;
    }
    result.http_status = 200;
    result.bytes = url.size();
    result.end = Clock::now();
    ++fetches_done;
    return result;
}
}  // namespace

namespace tour_test {

tour::NewSession fake_sessions(const tour::RunStop* stop) {
    return [stop] { return tour::Fetch([stop](const std::string& url) { return fake_get(url, stop); }); };
}

std::size_t fake_fetches_done() { return fetches_done.load(); }

}  // namespace tour_test
