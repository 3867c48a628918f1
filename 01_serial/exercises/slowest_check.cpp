// The check for exercise 1.2, on made-up results (no network needed).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "exercise_check.hpp"
#include "slowest.hpp"

namespace {

using namespace std::chrono_literals;

tour::FetchResult made_up(std::string url, std::chrono::milliseconds took, bool ok = true) {
    tour::FetchResult r;
    r.url = std::move(url);
    r.start = tour::Clock::time_point{} + 1s;
    r.end = r.start + took;
    r.http_status = ok ? 200 : 0;
    if (!ok) r.error = "curl error 28: timed out";
    return r;
}

std::vector<std::string> urls_of(const std::vector<tour::FetchResult>& results) {
    std::vector<std::string> urls;
    for (const auto& r : results) urls.push_back(r.url);
    return urls;
}

}  // namespace

TEST_CASE("the three slowest successful sites, slowest first") {
    INFO("the n slowest successful fetches (duration: end - start), slowest first; failed fetches are left out");
    const std::vector<tour::FetchResult> results = {
        made_up("a", 120ms), made_up("b", 300ms), made_up("c", 80ms),
        made_up("d", 5000ms, false),  // failed: slow, but not a site that answered
        made_up("e", 210ms), made_up("f", 150ms),
    };
    CHECK(urls_of(exercise::slowest_sites(results, 3)) == std::vector<std::string>{"b", "e", "f"});
    CHECK(results.size() == 6);
}

TEST_CASE("ties are broken by URL, and n larger than the list is fine") {
    INFO("two fetches that took as long: the smaller URL first");
    const std::vector<tour::FetchResult> results = {made_up("z", 100ms), made_up("m", 100ms), made_up("a", 50ms)};
    CHECK(urls_of(exercise::slowest_sites(results, 10)) == std::vector<std::string>{"m", "z", "a"});
    CHECK(exercise::slowest_sites({}, 3).empty());
}
