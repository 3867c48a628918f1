#include "fake_session.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <string>
#include <thread>

#include <unistd.h>

namespace {
std::atomic<std::size_t> fetches_done{0};

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

tour::FetchResult fake_get(const std::string& url) {
    using tour::Clock;
    tour::FetchResult result;
    result.url = url;
    result.start = Clock::now();
    if (starts_with(url, "fake://throw/")) throw std::runtime_error("boom at " + url.substr(13));
    if (url == "fake://throw-int") throw 42;
    if (url == "fake://kill") ::kill(::getpid(), SIGKILL);
    if (starts_with(url, "fake://exit/")) ::_exit(std::stoi(url.substr(12)));
    if (starts_with(url, "fake://sleep/")) std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(url.substr(13))));
    result.http_status = 200;
    result.bytes = url.size();
    result.end = Clock::now();
    ++fetches_done;
    return result;
}
}  // namespace

namespace tour_test {

tour::NewSession fake_sessions() {
    return [] { return tour::Fetch(fake_get); };
}

std::size_t fake_fetches_done() { return fetches_done.load(); }

}  // namespace tour_test
