// The hand-written HTTP client (04_asio/raw_http.cpp): sitesim pages byte for byte over one
// keep-alive connection, chunked bodies from a scripted server, truncation detected.
#include <doctest/doctest.h>

// Asio 1.22 decides how to allocate (aligned_alloc or operator new) from a libstdc++ macro, so a
// file that includes Asio before any standard header would decide differently from the others
// (an ODR violation ASan reports as alloc-dealloc-mismatch). tour::asio now defines
// ASIO_DISABLE_STD_ALIGNED_ALLOC for everyone; standard headers first is still good habit.
#include <string>
#include <vector>

#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/write.hpp>

#include "asio_support.hpp"
#include "simulator/sitesim_process.hpp"
#include "raw_http.hpp"

using asio::ip::tcp;

namespace {

std::uint64_t body_hash(const std::string& text) {
    tour::BodyHash hash;
    hash.update(text);
    return hash.value();
}

// A one-connection server that answers each request with the next canned response.
asio::awaitable<void> scripted_server(tcp::acceptor& acceptor, std::vector<std::string> responses) {
    tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
    std::string buffer;
    for (const std::string& response : responses) {
        const std::size_t n =
            co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer), "\r\n\r\n", asio::use_awaitable);
        buffer.erase(0, n);
        co_await asio::async_write(socket, asio::buffer(response), asio::use_awaitable);
    }
}

struct Fetched {
    std::vector<raw_http::Response> responses;
    std::size_t connections = 0;
};

asio::awaitable<Fetched> fetch(std::string host, std::string port, std::vector<std::string> targets) {
    Fetched out;
    out.responses = co_await raw_http::get_all(std::move(host), std::move(port), std::move(targets), out.connections);
    co_return out;
}

}  // namespace

TEST_CASE("parse_head: status, headers, keep-alive rules") {
    const auto ok = raw_http::parse_head("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nX-Thing:  a b \r\n\r\n");
    CHECK(ok.status == 200);
    CHECK(ok.header("content-length") == "12");
    CHECK(ok.header("x-thing") == "a b");
    CHECK(ok.keep_alive);
    CHECK_FALSE(raw_http::parse_head("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n").keep_alive);
    CHECK_FALSE(raw_http::parse_head("HTTP/1.0 200 OK\r\n\r\n").keep_alive);
    CHECK(raw_http::parse_head("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
    CHECK_THROWS(raw_http::parse_head("SSH-2.0-OpenSSH\r\n\r\n"));
    CHECK_THROWS(raw_http::parse_head("HTTP/1.1 2x0 OK\r\n\r\n"));
    CHECK_THROWS(raw_http::parse_head("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"));
}

TEST_CASE("raw_http fetches sitesim pages byte for byte over ONE keep-alive connection") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(7, 2));
    asio::io_context io(1);
    const std::vector<std::string> targets = {"/site/0", "/site/1", "/site/2", "/site/3"};
    const auto fetched = asio_test::run_until_done(io, fetch("127.0.0.1", std::to_string(sim.port()), targets));
    REQUIRE(fetched.responses.size() == targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const auto& r = fetched.responses[i];
        const auto spec = sitesim::page_spec({7, 2}, targets[i]);
        CHECK(r.status == 200);
        CHECK(r.body.size() == spec.bytes);
        CHECK(body_hash(r.body) == tour_test::expected_hash(targets[i], spec.bytes));
        CHECK(r.keep_alive);
    }
    CHECK(fetched.connections == 1);
    CHECK(sim.stats()["connections_accepted"] == 1);
}

TEST_CASE("raw_http: a truncated body is an error, not a short page") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(7, 2));
    asio::io_context io(1);
    CHECK_THROWS(asio_test::run_until_done(io, fetch("127.0.0.1", std::to_string(sim.port()), {"/site/0?fault=truncate"})));
}

TEST_CASE("raw_http decodes chunked bodies and reconnects after Connection: close") {
    asio::io_context io(1);
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const std::string port = std::to_string(acceptor.local_endpoint().port());
    asio::co_spawn(io,
                   scripted_server(acceptor, {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                              "5\r\nHello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n",
                                              "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"}),
                   [](std::exception_ptr e) { CHECK_FALSE(e); });
    // The second response closes the connection; a third request needs a new one, which the
    // scripted server (one connection only) never accepts: ask for two.
    const auto fetched = asio_test::run_until_done(io, fetch("127.0.0.1", port, {"/a", "/b"}));
    REQUIRE(fetched.responses.size() == 2);
    CHECK(fetched.responses[0].body == "Hello, world");
    CHECK(fetched.responses[0].keep_alive);
    CHECK(fetched.responses[1].body == "abc");
    CHECK_FALSE(fetched.responses[1].keep_alive);
    CHECK(fetched.connections == 1);
}
