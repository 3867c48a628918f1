// The check for exercise 4.1, against the simulator.
#include <doctest/doctest.h>

#include <string>  // before Asio (see tests/asio/raw_http_test.cpp)

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "simulator/sitesim_process.hpp"
#include "deadline.hpp"
#include "exercise_check.hpp"

using namespace std::chrono_literals;

namespace {
// Run one fetch_with_deadline on `io` until it is done, on a thread of its own with a deadline.
tour::FetchResult run(asio::io_context& io, asio::awaitable<tour::FetchResult> work, const std::string& what) {
    tour::FetchResult out;
    std::exception_ptr failure;
    asio::co_spawn(io, std::move(work), [&out, &failure](std::exception_ptr e, tour::FetchResult r) {
        failure = e;
        out = std::move(r);
    });
    io.restart();
    tour_check::within(what, [&io] { io.run(); });
    if (failure) std::rethrow_exception(failure);  // doctest reports it with its message
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

    const auto slow = run(io, exercise::fetch_with_deadline(client, sim.base_url() + "/site/1?delay_ms=1500", 150ms),
                          "fetch_with_deadline(a page that takes 1.5 s, deadline 150 ms) did not finish: is "
                          "something awaited that never completes?");
    CHECK(slow.url == sim.base_url() + "/site/1?delay_ms=1500");
    CHECK_MESSAGE(slow.error == "deadline of 150 ms exceeded", "a page that takes 1.5 s, with a deadline of 150 ms, "
                  "must be given up on at the deadline, with the error \"deadline of 150 ms exceeded\"");
    CHECK_MESSAGE(client.in_flight() == 0, "the request lost the race, yet its transfer is still in curl: cancel it");

    const auto fast = run(io, exercise::fetch_with_deadline(client, sim.base_url() + "/site/2", 5s),
                          "fetch_with_deadline(a 5 ms page, deadline 5 s) did not finish: does the request's "
                          "result end the race, or does it wait for the timer as well?");
    CHECK(fast.ok());
    CHECK(fast.bytes > 0);
}
