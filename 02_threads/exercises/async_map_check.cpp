// The check for exercise 2.4. A fake network counts the requests in flight at once. Each fake
// request stays open until every URL of the call is in flight or 100 ms pass, so requests made
// one at a time are caught on every run, not only when the timing happens to be unlucky.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "async_map.hpp"
#include "exercise_check.hpp"

namespace {

using namespace std::chrono_literals;

class FakeNetwork {
public:
    explicit FakeNetwork(int expected_together) : expected_together_(expected_together) {}

    tour::FetchResult fetch(const std::string& url) {
        {
            std::unique_lock lock(mutex_);
            ++in_flight_;
            peak_ = std::max(peak_, in_flight_);
            changed_.notify_all();
            changed_.wait_for(lock, 100ms, [&] { return in_flight_ >= expected_together_; });
            --in_flight_;
        }
        if (url.find("/throw") != std::string::npos) throw std::runtime_error("boom at " + url);
        tour::FetchResult result;
        result.url = url;
        result.http_status = 200;
        result.bytes = url.size();
        return result;
    }

    int peak() {
        std::lock_guard lock(mutex_);
        return peak_;
    }

private:
    const int expected_together_;
    std::mutex mutex_;
    std::condition_variable changed_;
    int in_flight_ = 0;
    int peak_ = 0;
};

std::vector<std::string> site_list(int count) {
    std::vector<std::string> urls;
    for (int i = 0; i < count; ++i) urls.push_back("http://a.test/page/" + std::to_string(i));
    return urls;
}

std::vector<tour::FetchResult> fetch_all(const std::vector<std::string>& urls, FakeNetwork& network) {
    return tour_check::within("fetch_all(" + std::to_string(urls.size()) + " URLs) did not return",
                              [&] { return exercise::fetch_all(urls, [&](const std::string& u) { return network.fetch(u); }); });
}

}  // namespace

TEST_CASE("8 URLs: all 8 requests in flight at once, one result per URL in input order") {
    const auto urls = site_list(8);
    FakeNetwork network(8);
    const auto results = fetch_all(urls, network);
    INFO("requests in flight at once: at most ", network.peak(), " of 8 (one at a time means each future is "
         "waited for before the next task starts)");
    CHECK(network.peak() == 8);
    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(i);
        CHECK(results[i].url == urls[i]);
        CHECK(results[i].ok());
    }
}

TEST_CASE("a task that throws becomes its URL's error, the other URLs are fetched") {
    auto urls = site_list(6);
    urls[2] = "http://a.test/throw/2";
    FakeNetwork network(6);
    std::vector<tour::FetchResult> results;
    try {
        results = fetch_all(urls, network);
    } catch (const std::exception& e) {
        FAIL("fetch_all threw instead of reporting the URL's error: ", std::string(e.what()));
    }
    REQUIRE(results.size() == urls.size());
    CHECK(results[2].url == urls[2]);
    CHECK(results[2].error == "exception: boom at http://a.test/throw/2");
    for (const std::size_t i : {0, 1, 3, 4, 5}) {
        CAPTURE(i);
        CHECK(results[i].url == urls[i]);
        CHECK(results[i].ok());
    }
}
