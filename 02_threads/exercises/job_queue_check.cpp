// The check for exercise 2.2. No network and no timing: only who got which job. Every wait is
// bounded (tour_check): a queue that loses a wake-up fails with a sentence, it does not hang.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <numeric>
#include <thread>
#include <vector>

#include "exercise_check.hpp"
#include "job_queue.hpp"

using namespace std::chrono_literals;

TEST_CASE("one thread: first in, first out, then nullopt once closed and empty") {
    INFO("push queues a job; pop hands the jobs out first in, first out, and returns std::nullopt only once the "
         "queue is closed and empty");
    exercise::JobQueue queue;
    const auto popped = tour_check::within(
        "push x3, close(), then pop() x5 on one thread did not finish: pop() waits although the queue "
        "holds a job or is closed (does pop() check before it waits? is a lock taken twice?)",
        [&queue] {
            queue.push(7);
            queue.push(8);
            queue.push(9);
            queue.close();
            std::vector<std::optional<std::size_t>> got;
            for (int i = 0; i < 5; ++i) got.push_back(queue.pop());
            return got;
        });
    CHECK(popped[0] == std::optional<std::size_t>(7));
    CHECK(popped[1] == std::optional<std::size_t>(8));
    CHECK(popped[2] == std::optional<std::size_t>(9));
    CHECK(popped[3] == std::nullopt);
    CHECK(popped[4] == std::nullopt);  // and it stays that way
}

TEST_CASE("pop waits for a job that is pushed later") {
    exercise::JobQueue queue;
    auto worker = tour_check::start([&queue] { return queue.pop(); });
    std::this_thread::sleep_for(50ms);  // the worker is most likely asleep in pop() by now
    queue.push(42);
    const auto got = worker.finish("pop() did not return after a push: does push() wake a worker waiting in pop()?");
    CHECK(got == std::optional<std::size_t>(42));
}

TEST_CASE("close wakes every waiting worker") {
    exercise::JobQueue queue;
    std::atomic<int> ended{0};
    tour_check::within(
        "close() did not wake every waiting consumer: 4 workers waited in pop() on an empty queue, "
        "close() was called, and not all of them returned (notify_one wakes only one of them)",
        [&queue, &ended] {
            std::vector<std::jthread> workers;
            for (int i = 0; i < 4; ++i) {
                workers.emplace_back([&queue, &ended] {
                    if (!queue.pop()) ++ended;
                });
            }
            std::this_thread::sleep_for(50ms);  // let them all fall asleep in pop()
            queue.close();
        });  // the jthreads join here
    CHECK(ended == 4);
}

TEST_CASE("2 producers and 4 workers: every job handed out exactly once") {
    constexpr std::size_t per_producer = 5000;
    exercise::JobQueue queue;
    std::vector<std::vector<std::size_t>> taken(4);  // worker w writes only taken[w]
    tour_check::within(
        "10,000 jobs from 2 producers to 4 workers did not finish: a worker is still waiting in "
        "pop() (after a wake-up, does pop() look at the queue again? does close() wake everyone?)",
        [&queue, &taken] {
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
        });
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
    const auto results = tour_check::within(
        "download_with_queue (50 URLs, 4 workers) did not return: a worker never saw the queue closed", [&] {
            return exercise::download_with_queue(urls, 4, [&](const std::string& url) {
                ++fetched[std::stoul(url.substr(url.rfind('/') + 1))];
                tour::FetchResult r;
                r.url = url;
                r.http_status = 200;
                return r;
            });
        });
    std::vector<std::string> result_urls;
    for (const auto& r : results) result_urls.push_back(r.url);
    std::vector<int> times_fetched;
    for (const auto& f : fetched) times_fetched.push_back(f.load());
    CHECK(result_urls == urls);                                 // one result per URL, in input order
    CHECK(times_fetched == std::vector<int>(urls.size(), 1));  // each URL fetched once
}
