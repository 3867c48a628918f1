// Per-operation cancellation of AsyncHttpClient::async_get (04_asio/async_http_client.cpp), at
// every point of a request's life: before it starts, while it connects, mid-body, after it has
// completed. Each case checks what the caller gets (one result, "cancelled"), what curl still
// holds (in_flight, open descriptors) and what the server saw (/__stats: no request in flight,
// no connection open once it has noticed the close).
#include <doctest/doctest.h>

#include <string>  // before Asio (see tests/asio/raw_http_test.cpp)

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>
#include <variant>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/redirect_error.hpp>
#include <asio/this_coro.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "asio_support.hpp"
#include "async_http_client.hpp"
#include "simulator/sitesim_process.hpp"

using namespace std::chrono_literals;

namespace {

// A coroutine that asks not to be thrown at (throw_if_cancelled(false)), waits `before`, then
// fetches: what a caller that handles cancellation itself looks like. A co_await on an
// awaitable in a cancelled coroutine otherwise throws operation_aborted before anything runs.
asio::awaitable<tour::FetchResult> fetch_after(event_loop::AsyncHttpClient& client, std::string url,
                                               std::chrono::milliseconds before) {
    co_await asio::this_coro::throw_if_cancelled(false);
    asio::steady_timer pause(co_await asio::this_coro::executor, before);
    asio::error_code ignored;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    co_return co_await client.async_get(std::move(url));
}

struct Cancelled {
    std::optional<tour::FetchResult> result;
    std::exception_ptr failure;
    std::chrono::steady_clock::duration emitted_to_done{};
};

// Runs `work` with a cancellation slot bound to its completion handler (asio::bind_cancellation_slot,
// as a model would), and emits a terminal cancellation `when` after the loop starts, from a
// timer on the same loop: a cancellation_signal belongs to one thread. `just_before` runs right
// before the emit (to look at the transfer in the state the test wants to cancel it in).
Cancelled run_and_cancel(asio::io_context& io, asio::awaitable<tour::FetchResult> work, std::chrono::milliseconds when,
                         const std::function<void()>& just_before = {}) {
    asio::cancellation_signal signal;
    Cancelled out;
    std::chrono::steady_clock::time_point emitted{};
    asio::co_spawn(io, std::move(work),
                   asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e, tour::FetchResult r) {
                       out.emitted_to_done = std::chrono::steady_clock::now() - emitted;
                       out.failure = e;
                       if (!e) out.result = std::move(r);
                   }));
    asio::steady_timer timer(io, when);
    timer.async_wait([&](asio::error_code) {
        if (just_before) just_before();
        emitted = std::chrono::steady_clock::now();
        signal.emit(asio::cancellation_type::terminal);
    });
    io.restart();
    io.run();
    return out;
}

std::size_t open_descriptors() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
    return n;
}

// This process's TCP sockets to 127.0.0.1:port in state `state` (/proc/net/tcp's hex code:
// 02 SYN_SENT, 01 ESTABLISHED).
std::size_t sockets_to(std::uint16_t port, const char* state) {
    std::ifstream table("/proc/net/tcp");
    std::string line;
    std::getline(table, line);  // header
    char remote[32];
    std::snprintf(remote, sizeof remote, "0100007F:%04X", port);
    std::size_t n = 0;
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string slot, local, rem, st;
        fields >> slot >> local >> rem >> st;
        n += rem == remote && st == state;
    }
    return n;
}

// Waits (bounded) until the simulator sees nothing in flight and no connection open: it notices
// a closed connection when it next writes to it or reads from it.
nlohmann::json quiet_stats(const tour::SiteSimulator& sim) {
    nlohmann::json stats = sim.stats();
    for (int i = 0; i < 100 && (stats["in_flight"] != 0 || stats["connections"] != 0); ++i) {
        std::this_thread::sleep_for(50ms);
        stats = sim.stats();
    }
    return stats;
}

// A listening socket whose accept queue is full and never drained: a new connection to it stays
// in SYN_SENT (the kernel drops its SYN), so a request to it is "connecting" for as long as
// curl's connect timeout allows.
class FullListener {
public:
    FullListener() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::listen(listener_, 0) == 0);
        socklen_t length = sizeof address;
        REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port_ = ntohs(address.sin_port);
        // Fill the accept queue (a backlog of 0 holds one); wait until the kernel has queued it.
        filler_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(::connect(filler_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    }
    ~FullListener() {
        ::close(filler_);
        ::close(listener_);
    }
    FullListener(const FullListener&) = delete;
    FullListener& operator=(const FullListener&) = delete;
    std::uint16_t port() const { return port_; }

private:
    int listener_ = -1;
    int filler_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace

TEST_CASE("cancel before the request starts: curl never sees it, the server sees no request") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(11, 2));
    asio::io_context io(1);
    event_loop::AsyncHttpClient client(io, tour::FetchOptions{});

    // Cancelled while it waits (300 ms) before calling async_get: the bridge finds the
    // cancellation already there and does not start the transfer.
    const auto late = run_and_cancel(io, fetch_after(client, sim.base_url() + "/site/1", 300ms), 50ms);
    REQUIRE_FALSE(late.failure);
    REQUIRE(late.result);
    CHECK(late.result->error == event_loop::cancelled_error);
    CHECK(late.result->url == sim.base_url() + "/site/1");
    CHECK(late.result->bytes == 0);

    // Asio's own behaviour, for comparison: a coroutine cancelled before it first runs, that
    // did not ask otherwise, gets operation_aborted thrown at its first co_await.
    asio::cancellation_signal early;
    std::exception_ptr failure;
    asio::co_spawn(io, client.async_get(sim.base_url() + "/site/2"),
                   asio::bind_cancellation_slot(early.slot(), [&](std::exception_ptr e, tour::FetchResult) { failure = e; }));
    early.emit(asio::cancellation_type::terminal);  // before io runs it
    io.restart();
    io.run();
    REQUIRE(failure);
    CHECK_THROWS_AS(std::rethrow_exception(failure), asio::system_error);

    CHECK(client.in_flight() == 0);
    const auto stats = sim.stats();
    CHECK(stats["requests"] == 0);
    CHECK(stats["connections_accepted"] == 0);
}

TEST_CASE("cancel while connecting: the half-open socket is closed, nothing is left in curl") {
    tour_test::ensure_curl_global();
    FullListener listener;
    asio::io_context io(1);
    event_loop::AsyncHttpClient client(io, tour::FetchOptions{});  // connect timeout 10 s: far away
    const std::size_t descriptors_before = open_descriptors();  // with the loop's and curl's own
    std::size_t connecting = 0;
    const auto cancelled = run_and_cancel(io, client.async_get("http://127.0.0.1:" + std::to_string(listener.port()) + "/"),
                                          500ms, [&] { connecting = sockets_to(listener.port(), "02"); });
    REQUIRE_FALSE(cancelled.failure);
    REQUIRE(cancelled.result);
    CHECK(connecting == 1);  // it was cancelled in SYN_SENT
    CHECK(cancelled.result->error == event_loop::cancelled_error);
    CHECK(cancelled.emitted_to_done < 2s);  // at once (the bound is for a busy machine)
    CHECK(client.in_flight() == 0);
    CHECK(sockets_to(listener.port(), "02") == 0);
    CHECK(open_descriptors() == descriptors_before);  // curl closed the socket (its cache keeps none)
}

TEST_CASE("cancel mid-body: the result keeps the bytes that arrived, the server sees the connection close") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(12, 2));
    asio::io_context io(1);
    tour::FetchOptions options;
    options.total_timeout = 60s;  // curl's own timeout must not be what ends it
    event_loop::AsyncHttpClient client(io, options);
    const std::string url = sim.base_url() + "/site/4?fault=slowbody";  // one byte every 100 ms
    nlohmann::json during;
    const auto cancelled = run_and_cancel(io, client.async_get(url), 800ms, [&] { during = sim.stats(); });
    REQUIRE_FALSE(cancelled.failure);
    REQUIRE(cancelled.result);
    CHECK(during["in_flight"] == 1);  // mid-transfer at the server...
    CHECK(cancelled.result->error == event_loop::cancelled_error);
    CHECK(cancelled.result->bytes > 0);  // ...and mid-body at the client
    CHECK(cancelled.result->bytes < sitesim::page_spec({12, 2}, "/site/4").bytes);
    CHECK(cancelled.emitted_to_done < 2s);
    CHECK(client.in_flight() == 0);

    const auto stats = quiet_stats(sim);
    CHECK(stats["in_flight"] == 0);
    CHECK(stats["connections"] == 0);  // curl closed it: a half-read response cannot be reused
    CHECK(stats["requests"] == 1);

    // The client is still fine.
    const auto after = asio_test::run_until_done(io, client.async_get(sim.base_url() + "/site/5"));
    asio_test::check_page(after, {12, 2}, "/site/5");
}

TEST_CASE("cancel after completion: no effect, the result stands") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(13, 2));
    asio::io_context io(1);
    event_loop::AsyncHttpClient client(io, tour::FetchOptions{});
    // The page takes a few ms; the cancellation comes 1 s later, when the coroutine has finished.
    const auto done = run_and_cancel(io, client.async_get(sim.base_url() + "/site/6"), 1000ms);
    REQUIRE_FALSE(done.failure);
    REQUIRE(done.result);
    asio_test::check_page(*done.result, {13, 2}, "/site/6");
    CHECK(client.in_flight() == 0);
    CHECK(sim.stats()["requests"] == 1);
}

TEST_CASE("many lanes cancelled mid-transfer by one `||` each: every one once, nothing left anywhere") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(14, 2));
    asio::io_context io(1);
    event_loop::AsyncHttpClient client(io, tour::FetchOptions{});
    constexpr std::size_t count = 40;
    std::vector<int> completions(count, 0);
    std::vector<std::size_t> winner(count, 9);
    for (std::size_t i = 0; i < count; ++i) {
        // Half wait for a slow page (2 s before its first byte), half drip bytes: both lose to 500 ms.
        const std::string url = sim.base_url() + sitesim::site_path(i) + (i % 2 == 0 ? "?delay_ms=2000" : "?fault=slowbody");
        asio::co_spawn(
            io,
            [](event_loop::AsyncHttpClient& c, std::string u) -> asio::awaitable<std::size_t> {
                using namespace asio::experimental::awaitable_operators;
                co_return (co_await (c.async_get(std::move(u)) || asio_test::sleep_for(500ms))).index();
            }(client, url),
            [&completions, &winner, i](std::exception_ptr e, std::size_t index) {
                REQUIRE_FALSE(e);
                ++completions[i];
                winner[i] = index;
            });
    }
    io.run();
    for (std::size_t i = 0; i < count; ++i) {
        CAPTURE(i);
        CHECK(completions[i] == 1);
        CHECK(winner[i] == 1);  // the timer won every race
    }
    CHECK(client.in_flight() == 0);
    const auto stats = quiet_stats(sim);
    CHECK(stats["requests"] == count);
    CHECK(stats["in_flight"] == 0);
    CHECK(stats["connections"] == 0);
}
