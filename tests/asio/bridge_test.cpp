// event_loop::AsyncHttpClient (04_asio/async_http_client.cpp) and chapter 4's model against sitesim: every
// URL with exact bytes, the server-side concurrency, faults per URL, cancellation, ownership.
#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <sstream>
#include <thread>
#include <variant>

#include <asio/experimental/awaitable_operators.hpp>

#include <sys/resource.h>

#include "asio_support.hpp"
#include "async_http_client.hpp"
#include "common/posix.hpp"
#include "simulator/sitesim_process.hpp"
#include "event_loop.hpp"

using namespace std::chrono_literals;
using asio_test::check_page;

namespace {
// A named coroutine, not a capturing lambda: its parameters are copied into its frame.
asio::awaitable<std::variant<tour::FetchResult, std::monostate>> race(event_loop::AsyncHttpClient& client, std::string url,
                                                                      std::chrono::milliseconds deadline) {
    using namespace asio::experimental::awaitable_operators;
    co_return co_await (client.async_get(std::move(url)) || asio_test::sleep_for(deadline));
}
}  // namespace

TEST_CASE("80 URLs from one thread: exact bytes, all 80 in flight at the server at once") {
    tour_test::ensure_curl_global();
    // 600 ms mean latency (300-900 ms): lanes start a few per turn of the loop, and all 80 must
    // have started before the fastest page is back, also under a sanitizer on a busy machine.
    tour::SiteSimulator sim(asio_test::sim_config(3, 600));
    const auto urls = sim.urls(80);
    tour::Progress progress(urls.size(), false);
    tour::RunStop stop;
    const auto results = event_loop::download_all(urls, tour::FetchOptions{}, 0, stop, std::nullopt, progress);

    REQUIRE(results.size() == 80);
    CHECK(progress.done() == 80);
    std::set<int> lanes;
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CHECK(results[i].url == urls[i]);  // input order
        check_page(results[i], {3, 600}, sitesim::site_path(i));
        lanes.insert(results[i].worker);
    }
    CHECK(lanes.size() == 80);  // one coroutine per URL
    const auto stats = sim.stats();
    CHECK(stats["requests"] == 80);
    CHECK(stats["peak_in_flight"] == 80);
}

TEST_CASE("--workers caps the requests in flight, and connections are reused") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(4, 10));
    const auto urls = sim.urls(60);
    tour::Progress progress(urls.size(), false);
    tour::RunStop stop;
    const auto results = event_loop::download_all(urls, tour::FetchOptions{}, 7, stop, std::nullopt, progress);
    REQUIRE(results.size() == 60);
    for (std::size_t i = 0; i < urls.size(); ++i) check_page(results[i], {4, 10}, sitesim::site_path(i));
    const auto stats = sim.stats();
    CHECK(stats["peak_in_flight"] == 7);
    // Keep-alive: a lane reuses its connection, so 60 requests need about 7 connections. Under
    // heavy load curl may now and then judge a pooled connection dead and open another (9 was
    // seen once): allow that, while 60 requests on at most 14 connections still proves reuse.
    CHECK(stats["connections_accepted"] >= 7);
    CHECK(stats["connections_accepted"] <= 14);
}

namespace {
// Fetch sites 0..count-1 one after another on `client`; every page must be right.
asio::awaitable<int> fetch_in_turn(event_loop::AsyncHttpClient& client, std::string base, int count) {
    int right = 0;
    for (int i = 0; i < count; ++i) {
        const tour::FetchResult r = co_await client.async_get(base + sitesim::site_path(static_cast<std::size_t>(i)));
        const auto spec = sitesim::page_spec({8, 2}, sitesim::site_path(static_cast<std::size_t>(i)));
        right += r.ok() && r.bytes == spec.bytes;
    }
    co_return right;
}
}  // namespace

TEST_CASE("Connections: reuse keeps one connection for requests in turn, one_per_request opens one each") {
    tour_test::ensure_curl_global();
    for (const auto mode : {event_loop::Connections::reuse, event_loop::Connections::one_per_request}) {
        const bool reuse = mode == event_loop::Connections::reuse;
        CAPTURE(reuse);
        tour::SiteSimulator sim(asio_test::sim_config(8, 2));
        asio::io_context io(1);
        event_loop::AsyncHttpClient client(io, tour::FetchOptions{}, mode);
        CHECK(asio_test::run_until_done(io, fetch_in_turn(client, sim.base_url(), 6)) == 6);
        CHECK(client.in_flight() == 0);
        const auto stats = sim.stats();
        CHECK(stats["requests"] == 6);
        // Keep-alive: 6 requests in turn on 1 connection (curl may judge a pooled connection
        // dead under heavy load and open another: at most 2 still proves reuse). Without
        // reuse, each request has its own connection: exactly 6.
        if (reuse) {
            CHECK(stats["connections_accepted"] >= 1);
            CHECK(stats["connections_accepted"] <= 2);
        } else {
            CHECK(stats["connections_accepted"] == 6);
        }
    }
}

TEST_CASE("every fault is reported for its own URL, the others succeed") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(1, 2));
    const std::string base = sim.base_url();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/site/0", ""},
        {"/site/1?fault=reset", "curl error"},
        {"/site/2?fault=stall", "curl error 28"},
        {"/site/3?fault=slowbody", "curl error 28"},
        {"/site/4?fault=garbage", "curl error"},
        {"/site/5?fault=truncate", "curl error 18"},
        {"/site/6?status=500", "HTTP status 500"},
        {"/site/7?fault=redirect&to=file%3A%2F%2F%2Fetc%2Fpasswd", "curl error 1"},
        {"/site/8?fault=redirect", ""},
        {"/site/9", ""},
        {"/site/10?status=404", "HTTP status 404"},
    };
    std::vector<std::string> urls;
    for (const auto& c : cases) urls.push_back(base + c.first);
    tour::FetchOptions options;
    options.total_timeout = 1s;
    tour::Progress progress(urls.size(), false);
    tour::RunStop stop;
    const auto results = event_loop::download_all(urls, options, 0, stop, std::nullopt, progress);
    REQUIRE(results.size() == cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        CAPTURE(urls[i]);
        CAPTURE(results[i].error);
        if (cases[i].second.empty()) {
            check_page(results[i], {1, 2}, tour_test::path_of(urls[i]));
        } else {
            CHECK(results[i].error.rfind(cases[i].second, 0) == 0);
        }
    }
    CHECK(tour::exit_status(tour::RunReport{"Model", 1, {}, 0, results}, results.size()) == 1);
}

TEST_CASE("a request cancelled by a deadline is aborted cleanly, the client keeps working") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(5, 2));
    asio::io_context io(1);
    event_loop::AsyncHttpClient client(io, tour::FetchOptions{});

    // The stalled request loses the race against a 100 ms timer: `||` cancels it mid-transfer
    // (its socket is open and watched), which must remove it from curl and free it cleanly.
    const auto outcome = asio_test::run_until_done(io, race(client, sim.base_url() + "/site/1?fault=stall", 100ms));
    CHECK(outcome.index() == 1);  // the timer won
    CHECK(client.in_flight() == 0);

    // Then a normal request on the same client.
    const auto after = asio_test::run_until_done(io, client.async_get(sim.base_url() + "/site/2"));
    check_page(after, {5, 2}, "/site/2");
    CHECK(client.in_flight() == 0);
}

TEST_CASE("requests keep what they need: the client may be destroyed while they are in flight") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(6, 20));
    asio::io_context io(1);
    auto client = std::make_unique<event_loop::AsyncHttpClient>(io, tour::FetchOptions{});
    std::vector<tour::FetchResult> results(10);
    for (std::size_t i = 0; i < results.size(); ++i) {
        // async_get returns before anything runs; the awaitable owns the client's state.
        asio::co_spawn(io, client->async_get(sim.urls(10)[i]), [&results, i](std::exception_ptr e, tour::FetchResult r) {
            REQUIRE_FALSE(e);
            results[i] = std::move(r);
        });
    }
    client.reset();  // before a single request has started
    io.run();
    for (std::size_t i = 0; i < results.size(); ++i) check_page(results[i], {6, 20}, sitesim::site_path(i));
}

TEST_CASE("in_flight_cap: 0 means no cap, a cap above the open-file limit is lowered with a message") {
    std::ostringstream err;
    CHECK(event_loop::in_flight_cap(0, 80, err) == 0);
    CHECK(event_loop::in_flight_cap(10, 80, err) == 10);
    CHECK(event_loop::in_flight_cap(500, 80, err) == 80);
    CHECK(err.str().empty());
    // The room the open-file limit leaves: the soft limit less what is open and a reserve of 16.
    const std::size_t budget = event_loop::in_flight_cap(0, std::size_t{1} << 40, err);
    rlimit limit{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur > 64) {
        CHECK(budget < static_cast<std::size_t>(limit.rlim_cur) - 16);
        CHECK(budget > static_cast<std::size_t>(limit.rlim_cur) - 16 - 200);  // this test has a few files open
    }
    CHECK(err.str().find("capping requests in flight at " + std::to_string(budget)) != std::string::npos);
}
