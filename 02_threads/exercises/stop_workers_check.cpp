// The check for exercise 2.7: a made-up fetch (no network) that counts its calls, as a server
// counts requests. It asks for the stop itself, during its 5th call: from then on no worker may
// take a URL, so at most the 3 other fetches in flight end after it. The counts are exact
// whatever the timing: no clock is read.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "exercise_check.hpp"
#include "stop_workers.hpp"

namespace {

std::vector<std::string> made_up_urls(std::size_t count) {
    std::vector<std::string> urls;
    for (std::size_t i = 0; i < count; ++i) urls.push_back("http://example.test/" + std::to_string(i));
    return urls;
}

struct Run {
    std::size_t fetches = 0;    // calls of fetch, as the server would count them
    std::size_t fetched = 0;    // results that say they were fetched
    std::size_t cancelled = 0;  // results with the error not_started and their own url
    std::size_t lost = 0;       // results that are neither: no url, or another error
};

// download_until_stopped(50 URLs, 4 workers), with a fetch that requests the stop during its
// call number `stop_at` (0: before the run starts).
Run run(std::size_t stop_at) {
    const auto urls = made_up_urls(50);
    std::stop_source source;
    if (stop_at == 0) source.request_stop();
    std::atomic<std::size_t> calls{0};
    const exercise::FetchFn fetch = [&](const std::string& url) {
        if (++calls == stop_at) source.request_stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // a request takes a while
        tour::FetchResult r;
        r.url = url;
        r.http_status = 200;
        r.bytes = 100;
        return r;
    };
    const auto results = tour_check::within(
        "download_until_stopped(50 URLs, 4 workers) did not return: does every worker end?",
        [&] { return exercise::download_until_stopped(urls, 4, fetch, source.get_token()); });
    Run counted;
    counted.fetches = calls.load();
    REQUIRE_MESSAGE(results.size() == urls.size(), "one result per URL");
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (results[i].url == urls[i] && results[i].ok()) ++counted.fetched;
        else if (results[i].url == urls[i] && results[i].error == exercise::not_started) ++counted.cancelled;
        else ++counted.lost;
    }
    return counted;
}

}  // namespace

TEST_CASE("no stop: every URL is fetched once") {
    const Run got = run(51);  // never reached
    CHECK(got.fetches == 50);
    CHECK(got.fetched == 50);
}

TEST_CASE("stop requested during the 5th fetch: no URL is taken after it, and every URL is reported") {
    const Run got = run(5);
    CHECK_MESSAGE(got.fetches <= 8, "the stop was requested during fetch number 5, yet " << got.fetches
                  << " fetches were made (at most 5 + the 3 other workers' fetches in flight): do the workers "
                     "look at stop.stop_requested() before they take the next URL?");
    CHECK_MESSAGE(got.fetched == got.fetches, got.fetched << " results say fetched, for " << got.fetches << " fetches");
    CHECK_MESSAGE(got.cancelled == 50 - got.fetches, got.cancelled << " results have the error not_started, but "
                  << 50 - got.fetches << " URLs were never fetched: is every URL that no worker took reported, "
                     "with its url and the error not_started?");
    CHECK_MESSAGE(got.lost == 0, got.lost << " results are neither fetched nor cancelled");
}

TEST_CASE("stop requested before the start: nothing is fetched, all 50 are reported cancelled") {
    const Run got = run(0);
    CHECK_MESSAGE(got.fetches == 0, "the stop was requested before download_until_stopped was called, yet "
                  << got.fetches << " fetches were made: does a worker look at the token before its first URL?");
    CHECK_MESSAGE(got.cancelled == 50, got.cancelled << " of 50 URLs are reported with the error not_started");
}
