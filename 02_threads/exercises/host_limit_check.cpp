// The check for exercise 2.3. A fake network counts, per host, how many requests are in flight
// at once. Each fake request stays open until the per-host limit is exceeded or 20 ms pass, so
// a missing limit is caught on every run, not only when the timing happens to be unlucky.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "exercise_check.hpp"
#include "host_limit.hpp"

namespace {

using namespace std::chrono_literals;

class FakeNetwork {
public:
    explicit FakeNetwork(int limit) : limit_(limit) {}

    tour::FetchResult fetch(const std::string& url) {
        const std::string host = exercise::host_of(url);
        std::unique_lock lock(mutex_);
        int& now = in_flight_[host];
        ++now;
        peak_[host] = std::max(peak_[host], now);
        ++fetched_[url];
        changed_.notify_all();
        changed_.wait_for(lock, 20ms, [&] { return now > limit_; });
        --now;
        tour::FetchResult result;
        result.url = url;
        result.http_status = 200;
        return result;
    }

    int peak(const std::string& host) {
        std::lock_guard lock(mutex_);
        return peak_[host];
    }
    int times_fetched(const std::string& url) {
        std::lock_guard lock(mutex_);
        return fetched_[url];
    }

private:
    const int limit_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, int> in_flight_;
    std::map<std::string, int> peak_;
    std::map<std::string, int> fetched_;
};

// download_capped, with a deadline: a thread that waits in acquire() for ever must not hang the check.
std::vector<tour::FetchResult> download_capped(const std::vector<std::string>& urls, int workers, int per_host,
                                               FakeNetwork& network) {
    return tour_check::within(
        "download_capped(" + std::to_string(urls.size()) + " URLs, " + std::to_string(workers) + " workers, " +
            std::to_string(per_host) + " per host) did not return: a thread is still waiting in acquire() (does "
            "release() wake the waiting threads, all of them?)",
        [&] {
            return exercise::download_capped(urls, workers, per_host,
                                             [&](const std::string& url) { return network.fetch(url); });
        });
}

std::vector<std::string> site_list(const std::string& host, int count) {
    std::vector<std::string> urls;
    for (int i = 0; i < count; ++i) urls.push_back("http://" + host + "/page/" + std::to_string(i));
    return urls;
}

}  // namespace

TEST_CASE("host_of keeps the host and port only") {
    CHECK(exercise::host_of("http://example.org:8080/a/b?c") == "example.org:8080");
    CHECK(exercise::host_of("https://example.org") == "example.org");
}

TEST_CASE("8 workers, 2 hosts, at most 2 requests per host in flight, every URL fetched once") {
    INFO("the most requests in flight to one host at once: acquire() must make a thread wait while its host already "
         "has per_host requests in flight");
    std::vector<std::string> urls = site_list("a.test", 30);
    const auto b = site_list("b.test:81", 10);
    urls.insert(urls.begin() + 5, b.begin(), b.end());
    FakeNetwork network(2);
    const auto results = download_capped(urls, 8, 2, network);
    CHECK(network.peak("a.test") <= 2);
    CHECK(network.peak("b.test:81") <= 2);
    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(urls[i]);
        CHECK(results[i].url == urls[i]);
        CHECK(network.times_fetched(urls[i]) == 1);
    }
}

TEST_CASE("a limit of 1 makes one host's requests strictly one at a time") {
    INFO("with a limit of 1, a host's requests must go one at a time");
    const auto urls = site_list("only.test", 10);
    FakeNetwork network(1);
    const auto results = download_capped(urls, 4, 1, network);
    CHECK(network.peak("only.test") == 1);
    CHECK(results.size() == urls.size());
}
