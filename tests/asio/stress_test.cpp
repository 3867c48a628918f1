// Faults, many times over, on ONE client: resets, stalls, slow bodies, garbage, truncations
// (the server closes mid-body) and cancellations mid-transfer, mixed with good pages. Every
// socket that dies mid-transfer exercises the rules of 04_asio/async_http_client.cpp: waits completing
// after CURL_POLL_REMOVE, fds reused by the next connection, handles removed while watched.
// Meant for the ASan+UBSan and TSan builds.
#include <doctest/doctest.h>

#include <variant>

#include <asio/experimental/awaitable_operators.hpp>

#include "asio_support.hpp"
#include "async_http_client.hpp"
#include "simulator/sitesim_process.hpp"

using namespace std::chrono_literals;

namespace {

enum class Kind { good, reset, stall, slowbody, garbage, truncate, cancelled };
constexpr Kind kinds[] = {Kind::good, Kind::reset, Kind::stall, Kind::good, Kind::slowbody,
                          Kind::garbage, Kind::truncate, Kind::good, Kind::cancelled};

const char* query(Kind kind) {
    switch (kind) {
    case Kind::good: return "";
    case Kind::reset: return "?fault=reset";
    case Kind::stall: return "?fault=stall";
    case Kind::slowbody: return "?fault=slowbody";
    case Kind::garbage: return "?fault=garbage";
    case Kind::truncate: return "?fault=truncate";
    case Kind::cancelled: return "?fault=stall";  // cancelled by a deadline before curl times out
    }
    return "";
}

struct Outcome {
    tour::FetchResult result;
    bool deadline_won = false;
};

// One request; a `cancelled` one races a 50 ms deadline, which wins and cancels it mid-transfer.
asio::awaitable<void> one(event_loop::AsyncHttpClient& client, std::string url, Kind kind, Outcome& out) {
    using namespace asio::experimental::awaitable_operators;
    if (kind != Kind::cancelled) {
        out.result = co_await client.async_get(std::move(url));
        co_return;
    }
    auto raced = co_await (client.async_get(std::move(url)) || asio_test::sleep_for(50ms));
    out.deadline_won = raced.index() == 1;
}

}  // namespace

TEST_CASE("stress: every fault, many rounds, one client, every outcome right") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(9, 5));
    tour::FetchOptions options;
    // Stalls and slow bodies end here (curl error 28). Good pages must finish within it too, so it
    // leaves room for a loaded machine under ThreadSanitizer (400 ms once cut off a good 115 KB page).
    options.total_timeout = 1500ms;
    asio::io_context io(1);
    event_loop::AsyncHttpClient client(io, options);

    constexpr std::size_t rounds = 6;
    constexpr std::size_t per_round = 90;
    for (std::size_t round = 0; round < rounds; ++round) {
        CAPTURE(round);
        std::vector<Outcome> outcomes(per_round);
        std::vector<Kind> kind_of(per_round);
        for (std::size_t i = 0; i < per_round; ++i) {
            kind_of[i] = kinds[(i + round) % std::size(kinds)];
            const std::string url = sim.base_url() + sitesim::site_path(i) + query(kind_of[i]);
            asio::co_spawn(io, one(client, url, kind_of[i], outcomes[i]), [](std::exception_ptr e) { REQUIRE_FALSE(e); });
        }
        io.restart();
        io.run();
        CHECK(client.in_flight() == 0);
        for (std::size_t i = 0; i < per_round; ++i) {
            CAPTURE(i);
            const auto& r = outcomes[i].result;
            CAPTURE(r.error);
            switch (kind_of[i]) {
            case Kind::good: asio_test::check_page(r, {9, 5}, sitesim::site_path(i)); break;
            case Kind::stall:
            case Kind::slowbody: CHECK(r.error.rfind("curl error 28", 0) == 0); break;
            case Kind::truncate: CHECK(r.error.rfind("curl error 18", 0) == 0); break;
            case Kind::reset:
            case Kind::garbage: CHECK(r.error.rfind("curl error", 0) == 0); break;
            case Kind::cancelled: CHECK(outcomes[i].deadline_won); break;
            }
        }
    }
    // At least one request each; curl may retry a request whose reused connection the server
    // had just closed (after a reset or truncation), so not exactly one.
    CHECK(sim.stats()["requests"] >= rounds * per_round);
}
