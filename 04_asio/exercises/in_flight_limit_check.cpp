// The check for exercise 4.3: first without a network (timers stand in for requests), then
// against the simulator, which counts the requests in flight.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "async_http_client.hpp"
#include "simulator/sitesim_process.hpp"
#include "exercise_check.hpp"
#include "in_flight_limit.hpp"

using namespace std::chrono_literals;

namespace {

asio::awaitable<void> hold_a_while(exercise::InFlightLimit& limit, std::size_t& most, int& finished) {
    co_await limit.acquire();
    most = std::max(most, limit.held());
    asio::steady_timer work(co_await asio::this_coro::executor, 5ms);  // stands in for a request
    co_await work.async_wait(asio::use_awaitable);
    limit.release();
    ++finished;
}

asio::awaitable<void> fetch_limited(exercise::InFlightLimit& limit, event_loop::AsyncHttpClient& client, std::string url,
                                    tour::FetchResult& out) {
    co_await limit.acquire();
    out = co_await client.async_get(std::move(url));
    limit.release();
}

// Takes a slot, notes its turn, holds it 5 ms, gives it back; then, if `again`, asks at once for
// another: with the slot handed straight to the longest waiter, it must queue behind them.
asio::awaitable<void> take_turns(exercise::InFlightLimit& limit, int who, bool again, std::vector<int>& turns,
                                 std::size_t& most) {
    for (int round = 0; round < (again ? 2 : 1); ++round) {
        co_await limit.acquire();
        turns.push_back(who);
        most = std::max(most, limit.held());
        asio::steady_timer work(co_await asio::this_coro::executor, 5ms);
        co_await work.async_wait(asio::use_awaitable);
        limit.release();
    }
}

}  // namespace

TEST_CASE("one slot: waiters get it in the order they came, and a newcomer cannot slip in between") {
    asio::io_context io(1);
    exercise::InFlightLimit limit(io.get_executor(), 1);
    std::vector<int> turns;
    std::size_t most = 0;
    // Coroutine 0 holds the slot, 1 2 3 queue up in that order; 0 then releases and at once asks
    // again: it must come after 3.
    for (int who = 0; who < 4; ++who) {
        asio::co_spawn(io, take_turns(limit, who, who == 0, turns, most), [](std::exception_ptr e) { REQUIRE_FALSE(e); });
    }
    tour_check::within("4 coroutines sharing 1 slot did not all finish: is a coroutine waiting in acquire() that "
                       "release() never wakes?",
                       [&io] { io.run(); });
    CHECK_MESSAGE(most == 1, most << " coroutines held the one slot at the same time");
    CHECK_MESSAGE((turns == std::vector<int>{0, 1, 2, 3, 0}), "the order the slot was taken in (0 released and asked "
                  "again at once: it must wait behind 1, 2 and 3, who came first)");
}

TEST_CASE("never more than `limit` holders, and every coroutine gets its turn") {
    asio::io_context io(1);
    exercise::InFlightLimit limit(io.get_executor(), 4);
    std::size_t most = 0;
    int finished = 0;
    for (int i = 0; i < 20; ++i) {
        asio::co_spawn(io, hold_a_while(limit, most, finished), [](std::exception_ptr e) { REQUIRE_FALSE(e); });
    }
    tour_check::within("20 coroutines sharing 4 slots did not all finish: is a coroutine waiting in acquire() that "
                       "release() never wakes?",
                       [&io] { io.run(); });
    CHECK(finished == 20);
    CHECK_MESSAGE(most == 4, "with a limit of 4, " << most << " coroutines held a slot at the same time");
    CHECK(limit.held() == 0);
}

TEST_CASE("a coroutine per URL, at most 5 requests in flight at the server") {
    static tour::CurlGlobal curl;
    tour::SiteSimulator::Config config;
    config.latency_ms = 10;
    tour::SiteSimulator sim(config);
    const auto urls = sim.urls(30);
    asio::io_context io(1);
    event_loop::AsyncHttpClient client(io, tour::FetchOptions{});
    exercise::InFlightLimit limit(io.get_executor(), 5);
    std::vector<tour::FetchResult> results(urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        asio::co_spawn(io, fetch_limited(limit, client, urls[i], results[i]), [](std::exception_ptr e) { REQUIRE_FALSE(e); });
    }
    tour_check::within("30 fetches sharing 5 slots did not all finish: is a coroutine waiting in acquire() that "
                       "release() never wakes?",
                       [&io] { io.run(); });
    for (const auto& r : results) CHECK_MESSAGE(r.ok(), r.url << ": " << r.error);
    CHECK(sim.stats()["peak_in_flight"] == 5);
}
