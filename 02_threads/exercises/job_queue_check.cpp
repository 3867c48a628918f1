// The check for exercise 2.2. No network and no timing: only who got which job.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <numeric>
#include <thread>
#include <vector>

#include "job_queue.hpp"

TEST_CASE("one thread: first in, first out, then nullopt once closed and empty") {
    exercise::JobQueue queue;
    queue.push(7);
    queue.push(8);
    queue.push(9);
    queue.close();
    CHECK(queue.pop() == std::optional<std::size_t>(7));
    CHECK(queue.pop() == std::optional<std::size_t>(8));
    CHECK(queue.pop() == std::optional<std::size_t>(9));
    CHECK(queue.pop() == std::nullopt);
    CHECK(queue.pop() == std::nullopt);  // and it stays that way
}

namespace {

// Wait (polling, at most 5 s) until `condition()` holds. A broken queue must fail the check,
// not hang it.
template <typename Condition>
bool eventually(Condition condition) {
    for (int i = 0; i < 500 && !condition(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return condition();
}

}  // namespace

TEST_CASE("pop waits for a job that is pushed later") {
    exercise::JobQueue queue;
    std::optional<std::size_t> got;
    std::atomic<bool> returned{false};
    std::jthread worker([&] {
        got = queue.pop();  // probably already waiting when the push below happens
        returned = true;
    });
    queue.push(42);
    const bool woke = eventually([&] { return returned.load(); });
    CHECK_MESSAGE(woke, "pop() did not return after a push: does push() notify a waiting worker?");
    if (!woke) queue.close();  // let a stuck worker out, so the check ends
    worker.join();
    CHECK(got == std::optional<std::size_t>(42));
}

TEST_CASE("close wakes every waiting worker") {
    exercise::JobQueue queue;
    std::atomic<int> ended{0};
    std::vector<std::jthread> workers;
    for (int i = 0; i < 4; ++i) {
        workers.emplace_back([&] {
            if (!queue.pop()) ++ended;
        });
    }
    queue.close();
    const bool all = eventually([&] { return ended.load() == 4; });
    CHECK_MESSAGE(all, "only " << ended.load() << " of 4 waiting workers saw the close: notify_all?");
    if (!all) {
        for (int i = 0; i < 4; ++i) queue.push(0);  // let stuck workers out, so the check ends
    }
}

TEST_CASE("2 producers and 4 workers: every job handed out exactly once") {
    constexpr std::size_t per_producer = 5000;
    exercise::JobQueue queue;
    std::vector<std::vector<std::size_t>> taken(4);  // worker w writes only taken[w]
    {
        std::vector<std::jthread> workers;
        for (std::size_t w = 0; w < 4; ++w) {
            workers.emplace_back([&queue, &taken, w] {
                while (auto job = queue.pop()) taken[w].push_back(*job);
            });
        }
        {
            std::jthread even([&] { for (std::size_t i = 0; i < 2 * per_producer; i += 2) queue.push(i); });
            std::jthread odd([&] { for (std::size_t i = 1; i < 2 * per_producer; i += 2) queue.push(i); });
        }  // both producers done
        queue.close();
    }
    std::vector<std::size_t> all;
    for (const auto& t : taken) all.insert(all.end(), t.begin(), t.end());
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> expected(2 * per_producer);
    std::iota(expected.begin(), expected.end(), std::size_t{0});
    CHECK(all.size() == expected.size());
    CHECK(all == expected);
}

TEST_CASE("download_with_queue: one result per URL, in input order, each URL fetched once") {
    std::vector<std::string> urls;
    for (int i = 0; i < 50; ++i) urls.push_back("http://example.test/" + std::to_string(i));
    std::vector<std::atomic<int>> fetched(urls.size());
    const auto results = exercise::download_with_queue(urls, 4, [&](const std::string& url) {
        ++fetched[std::stoul(url.substr(url.rfind('/') + 1))];
        tour::FetchResult r;
        r.url = url;
        r.http_status = 200;
        return r;
    });
    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(i);
        CHECK(results[i].url == urls[i]);
        CHECK(fetched[i] == 1);
    }
}
