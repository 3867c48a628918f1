// The check for exercise 1.1. It fakes the network: each test scripts what the "server"
// answers on each attempt, and records the delays instead of sleeping.
#include <doctest/doctest.h>

#include <deque>
#include <vector>

#include "exercise_check.hpp"
#include "retry.hpp"

namespace {

using namespace std::chrono_literals;
using exercise::fetch_with_retry;
using exercise::RetryPolicy;

tour::FetchResult answer(long status, std::string error = "") {
    tour::FetchResult r;
    r.url = "http://example.test/";
    r.http_status = status;
    r.error = std::move(error);
    if (r.error.empty() && (status < 200 || status > 299)) r.error = "HTTP status " + std::to_string(status);
    return r;
}

struct ScriptedServer {
    std::deque<tour::FetchResult> answers;
    int calls = 0;
    std::vector<std::chrono::milliseconds> sleeps;

    exercise::FetchFn fetch() {
        return [this](const std::string&) {
            ++calls;
            REQUIRE_MESSAGE(!answers.empty(), "fetched more often than the test expected");
            auto r = answers.front();
            answers.pop_front();
            return r;
        };
    }
    exercise::SleepFn sleep() {
        return [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    }
};

}  // namespace

TEST_CASE("transient failures: no response, 429 and 5xx, but not 404 and not success") {
    INFO("a failure that may go away is transient: no response at all (status 0), 429 Too Many Requests, a 5xx "
         "server error. A 404 stays a 404, and a success needs no retry");
    CHECK(exercise::is_transient(answer(0, "curl error 7: Connection refused")));
    CHECK(exercise::is_transient(answer(503)));
    CHECK(exercise::is_transient(answer(500)));
    CHECK(exercise::is_transient(answer(429)));
    CHECK_FALSE(exercise::is_transient(answer(404)));
    CHECK_FALSE(exercise::is_transient(answer(200)));
}

TEST_CASE("a site that recovers on the third attempt is fetched, with doubling delays") {
    INFO("a transient failure deserves another try, after a pause that doubles each time (100 ms, then 200 ms), "
         "up to max_attempts attempts");
    ScriptedServer server;
    server.answers = {answer(0, "curl error 56: Connection reset by peer"), answer(503), answer(200)};
    const auto result = fetch_with_retry("http://example.test/", RetryPolicy{3, 100ms}, server.fetch(), server.sleep());
    CHECK(result.ok());
    CHECK(server.calls == 3);
    CHECK(server.sleeps == std::vector<std::chrono::milliseconds>{100ms, 200ms});
}

TEST_CASE("no retry after success or a permanent failure") {
    ScriptedServer ok_server;
    ok_server.answers = {answer(200)};
    CHECK(fetch_with_retry("u", RetryPolicy{}, ok_server.fetch(), ok_server.sleep()).ok());
    CHECK(ok_server.calls == 1);

    ScriptedServer missing;
    missing.answers = {answer(404)};
    const auto result = fetch_with_retry("u", RetryPolicy{5, 10ms}, missing.fetch(), missing.sleep());
    CHECK(result.http_status == 404);
    CHECK(missing.calls == 1);
    CHECK(missing.sleeps.empty());
}

TEST_CASE("gives up after max_attempts and says how many") {
    ScriptedServer down;
    down.answers = {answer(500), answer(502), answer(503), answer(504)};
    const auto result = fetch_with_retry("u", RetryPolicy{4, 50ms}, down.fetch(), down.sleep());
    CHECK_FALSE(result.ok());
    CHECK(down.calls == 4);
    CHECK(down.sleeps == std::vector<std::chrono::milliseconds>{50ms, 100ms, 200ms});
    CHECK(result.error.rfind("after 4 attempts: ", 0) == 0);
    CHECK(result.error.find("504") != std::string::npos);
}
