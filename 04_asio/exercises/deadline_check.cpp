// The check for exercise 4.1, against the simulator.
#include <doctest/doctest.h>

#include <string>  // before Asio (see tests/asio/raw_http_test.cpp)

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "common/sites.hpp"
#include "deadline.hpp"

using namespace std::chrono_literals;

namespace {
tour::FetchResult run(asio::io_context& io, asio::awaitable<tour::FetchResult> work) {
    tour::FetchResult out;
    asio::co_spawn(io, std::move(work), [&out](std::exception_ptr e, tour::FetchResult r) {
        REQUIRE_FALSE(e);
        out = std::move(r);
    });
    io.restart();
    io.run();
    return out;
}
}  // namespace

TEST_CASE("a slow page is cut off at the deadline, a fast one arrives whole") {
    static tour::CurlGlobal curl;
    tour::SiteSimulator::Config config;
    config.latency_ms = 5;
    tour::SiteSimulator sim(config);
    asio::io_context io(1);
    tour::FetchOptions options;
    options.total_timeout = 10s;  // curl's own timeout is far away: the deadline must act
    event_loop::AsyncHttpClient client(io, options);

    const auto slow = run(io, exercise::fetch_with_deadline(client, sim.base_url() + "/site/1?delay_ms=1500", 150ms));
    CHECK(slow.url == sim.base_url() + "/site/1?delay_ms=1500");
    CHECK(slow.error == "deadline of 150 ms exceeded");
    CHECK(client.in_flight() == 0);

    const auto fast = run(io, exercise::fetch_with_deadline(client, sim.base_url() + "/site/2", 5s));
    CHECK(fast.ok());
    CHECK(fast.bytes > 0);
}
