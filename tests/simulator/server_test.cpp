// The real sitesim binary, driven over raw sockets: the HTTP it speaks, every fault, the
// statistics the other tests rely on, and its behaviour as a process.
#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <functional>
#include <memory>
#include <thread>
#include <tuple>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "simulator/site_model.hpp"
#include "sitesim_client.hpp"

using namespace simtest;
using Clock = std::chrono::steady_clock;

namespace {

bool exited_with(int status, int code) { return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code; }

std::uint64_t body_hash(const std::string& body) {
    tour::BodyHash hash;
    hash.update(body);
    return hash.value();
}

std::string address_of(const sockaddr_in& address) {
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &address.sin_addr, text, sizeof text);
    return text;
}

// Run sitesim with `args` and expect it to exit by itself; returns {wait status, stderr}.
std::pair<int, std::string> run_to_exit(std::vector<std::string> args, std::string* out = nullptr) {
    Sitesim s(std::move(args));
    const int status = s.wait(5000ms);
    if (out != nullptr) *out = s.first_line() + s.rest_of_stdout();
    return {status, s.all_stderr()};
}

// Stats settle a moment after a client closes (the server must first see the EOF).
bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 200; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

}  // namespace

TEST_CASE("it announces itself in one line, listens on 127.0.0.1 only, and SIGTERM ends it cleanly") {
    Sitesim sim({"--latency-ms", "5", "--seed", "7"});
    REQUIRE(sim.port() != 0);
    CHECK(sim.first_line() == "sitesim listening on http://127.0.0.1:" + std::to_string(sim.port()) +
                                  "/ (seed 7, mean latency 5 ms)\n");

    Connection c(sim.port());
    REQUIRE(c.connected());
    sockaddr_in peer{}, local{};
    socklen_t size = sizeof peer;
    REQUIRE(::getpeername(c.fd(), reinterpret_cast<sockaddr*>(&peer), &size) == 0);
    size = sizeof local;
    REQUIRE(::getsockname(c.fd(), reinterpret_cast<sockaddr*>(&local), &size) == 0);
    CHECK(peer.sin_family == AF_INET);
    CHECK(address_of(peer) == "127.0.0.1");
    CHECK(address_of(local) == "127.0.0.1");
    // Bound to 0.0.0.0 it would accept on 127.0.0.2 as well (every 127/8 address is local).
    Connection other(sim.port(), "127.0.0.2");
    CHECK_FALSE(other.connected());

    c.send_get("/site/0");
    CHECK(c.read_response().status == 200);
    const int status = sim.stop(SIGTERM);
    CHECK(exited_with(status, 0));
    CHECK(sim.rest_of_stdout().empty());  // nothing but the one line on stdout
}

TEST_CASE("SIGINT stops it cleanly even with requests in flight and idle connections") {
    Sitesim sim;
    REQUIRE(sim.port() != 0);
    Connection idle(sim.port()), busy(sim.port()), slow(sim.port());
    busy.send_get("/site/1?delay_ms=5000");
    slow.send_get("/site/1?fault=slowbody");
    std::this_thread::sleep_for(100ms);
    CHECK(exited_with(sim.stop(SIGINT), 0));
}

TEST_CASE("pages arrive whole: size and content follow the model, keep-alive uses one connection") {
    Sitesim sim({"--latency-ms", "5", "--seed", "3"});
    REQUIRE(sim.port() != 0);
    Connection c(sim.port());
    for (std::size_t i = 0; i < 10; ++i) {
        const auto path = sitesim::site_path(i);
        CAPTURE(path);
        REQUIRE(c.send_get(path));
        const auto r = c.read_response();
        const auto spec = sitesim::page_spec({3, 5}, path);
        REQUIRE(r.status == 200);
        CHECK(r.complete);
        CHECK(r.headers.at("content-type") == "text/plain");
        CHECK(r.content_length == spec.bytes);
        CHECK(r.body.size() == spec.bytes);
        CHECK(body_hash(r.body) == sitesim::expected_body_hash(path, spec.bytes));
    }
    // HEAD: the same head, no body; the connection goes on.
    c.send_get("/site/1", true, "HEAD");
    const auto head = c.read_response(false);
    CHECK(head.status == 200);
    CHECK(head.headers.at("content-length") == std::to_string(sitesim::page_spec({3, 5}, "/site/1").bytes));
    c.send_get("/site/2?bytes=10");
    CHECK(c.read_response().body.size() == 10);

    const auto s = stats(sim.port());
    CHECK(s["requests"] == 12);
    CHECK(s["connections_accepted"] == 1);  // the /__stats connection itself is not counted
    CHECK(s["peak_connections"] == 1);
    CHECK(s["peak_in_flight"] == 1);
    CHECK(s["in_flight"] == 0);
    CHECK(s["faults"] == 0);
}

TEST_CASE("pipelined requests and Connection: close") {
    Sitesim sim;
    REQUIRE(sim.port() != 0);
    Connection c(sim.port());
    c.send("GET /a?bytes=3 HTTP/1.1\r\nHost: x\r\n\r\nGET /b?bytes=4 HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(c.read_response().body == std::string{sitesim::body_byte("/a", 0), sitesim::body_byte("/a", 1), sitesim::body_byte("/a", 2)});
    CHECK(c.read_response().body.size() == 4);
    c.send_get("/c?bytes=5", false);
    const auto last = c.read_response();
    CHECK(last.headers.at("connection") == "close");
    bool eof = false;
    CHECK(c.read_all(2000ms, nullptr, &eof).empty());
    CHECK(eof);  // the server closed after the response
}

TEST_CASE("a client that gives up while the page is still 'loading': the server lets go at once, not when it is ready") {
    // compare/stop_latency.py reads from /__stats when a stopped program let go of its requests.
    Sitesim sim;
    REQUIRE(sim.port() != 0);
    Connection c(sim.port());
    REQUIRE(c.send_get("/site/1?delay_ms=20000"));
    REQUIRE(eventually([&] { return stats(sim.port())["in_flight"] == 1; }));
    c.close();  // 20 s before the page would be ready; eventually() gives up after 2 s
    CHECK(eventually([&] { return stats(sim.port())["in_flight"] == 0 && stats(sim.port())["connections"] == 0; }));
    SUBCASE("a pipelined request waiting behind it is no reason to abandon the first") {
        Connection p(sim.port());
        p.send("GET /a?bytes=3&delay_ms=300 HTTP/1.1\r\nHost: x\r\n\r\nGET /b?bytes=4 HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK(p.read_response().body.size() == 3);
        CHECK(p.read_response().body.size() == 4);
    }
}

TEST_CASE("query overrides: bytes, status, delay_ms, bad ones get 400") {
    Sitesim sim({"--latency-ms", "5"});
    REQUIRE(sim.port() != 0);
    Connection c(sim.port());

    c.send_get("/site/1?bytes=1000");
    auto r = c.read_response();
    CHECK(r.status == 200);
    CHECK(r.body.size() == 1000);
    CHECK(body_hash(r.body) == sitesim::expected_body_hash("/site/1", 1000));  // the path, not the query

    c.send_get("/site/1?status=404&bytes=50");
    r = c.read_response();
    CHECK(r.status == 404);
    CHECK(body_hash(r.body) == sitesim::expected_body_hash("/site/1", 50));

    c.send_get("/site/1?bytes=0");
    CHECK(c.read_response().body.empty());

    const auto started = Clock::now();
    c.send_get("/site/1?delay_ms=300&bytes=1");
    CHECK(c.read_response().status == 200);
    CHECK(Clock::now() - started >= 300ms);

    for (const char* bad : {"/site/1?fault=explode", "/site/1?bytes=lots", "/site/1?delay_ms=-5", "/site/1?status=99"}) {
        CAPTURE(bad);
        c.send_get(bad);
        r = c.read_response();
        CHECK(r.status == 400);
        CHECK_FALSE(r.body.empty());  // the reason
    }
    c.send_get("/site/1?bytes=7");  // still the same, healthy connection
    CHECK(c.read_response().body.size() == 7);
}

TEST_CASE("faults") {
    Sitesim sim({"--latency-ms", "5"});
    REQUIRE(sim.port() != 0);
    int requests = 1;  // page requests the subcase makes

    SUBCASE("reset: no response, the connection is reset") {
        Connection c(sim.port());
        c.send_get("/site/1?fault=reset");
        int error = 0;
        CHECK(c.read_all(3000ms, &error).empty());
        CHECK(error == ECONNRESET);
    }
    SUBCASE("truncate: fewer bytes than Content-Length, then EOF") {
        Connection c(sim.port());
        c.send_get("/site/1?fault=truncate&bytes=10000");
        const auto r = c.read_response();
        CHECK(r.status == 200);
        CHECK(r.content_length == 10000);
        CHECK_FALSE(r.complete);
        CHECK(r.body.size() == 5000);
    }
    SUBCASE("garbage: bytes that are not HTTP, then EOF") {
        Connection c(sim.port());
        c.send_get("/site/1?fault=garbage");
        bool eof = false;
        const auto junk = c.read_all(3000ms, nullptr, &eof);
        CHECK(junk.size() > 50);
        CHECK(junk.rfind("HTTP/", 0) == std::string::npos);
        CHECK(eof);
    }
    SUBCASE("redirect: 302 to `to`, or to the same page without the fault") {
        Connection c(sim.port());
        c.send_get("/site/4?bytes=10&fault=redirect");
        auto r = c.read_response();
        CHECK(r.status == 302);
        CHECK(r.headers.at("location") == "/site/4?bytes=10");
        CHECK(r.content_length == 0);
        c.send_get("/site/4?fault=redirect&to=file%3A%2F%2F%2Fetc%2Fpasswd");
        r = c.read_response();
        CHECK(r.status == 302);
        CHECK(r.headers.at("location") == "file:///etc/passwd");
        requests = 2;
    }
    SUBCASE("redirect: a `to` with CR LF is refused with 400, never split into a second header") {
        Connection c(sim.port());
        c.send_get("/site/4?fault=redirect&to=/x%0D%0AX-Injected:%20yes");
        const auto r = c.read_response();
        CHECK(r.status == 400);
        CHECK(r.headers.count("x-injected") == 0);
        CHECK(r.headers.count("location") == 0);
        requests = 0;
    }
    SUBCASE("status: that code with the page's body") {
        const auto r = get(sim.port(), "/site/5?status=503&bytes=100");
        CHECK(r.status == 503);
        CHECK(r.body.size() == 100);
    }
    SUBCASE("slowbody: the head at once, then one byte per 100 ms") {
        Connection c(sim.port());
        c.send_get("/site/1?fault=slowbody&bytes=6", false);
        const auto early = c.read_all(350ms);
        const auto head_end = early.find("\r\n\r\n");
        REQUIRE(head_end != std::string::npos);
        CHECK(early.find("Content-Length: 6\r\n") != std::string::npos);
        CHECK(early.size() - (head_end + 4) < 6);  // not all of it yet
        bool eof = false;
        const auto all = early + c.read_all(3000ms, nullptr, &eof);
        CHECK(eof);
        CHECK(all.substr(head_end + 4).size() == 6);
        CHECK(body_hash(all.substr(head_end + 4)) == sitesim::expected_body_hash("/site/1", 6));
    }
    SUBCASE("stall: nothing arrives; the server lets go when the client does") {
        Connection c(sim.port());
        c.send_get("/site/1?fault=stall");
        bool eof = false;
        CHECK(c.read_all(300ms, nullptr, &eof).empty());
        CHECK_FALSE(eof);
        CHECK(stats(sim.port())["in_flight"] == 1);
        c.close();
        CHECK(eventually([&] { return stats(sim.port())["in_flight"] == 0; }));
    }
    // Whatever the fault did, the server goes on answering and counted it.
    const auto r = get(sim.port(), "/site/1?bytes=3");
    CHECK(r.status == 200);
    CHECK(r.body.size() == 3);
    CHECK(stats(sim.port())["requests"] == requests + 1);
}

TEST_CASE("fault requests are counted") {
    Sitesim sim;
    REQUIRE(sim.port() != 0);
    get(sim.port(), "/site/1?fault=redirect");
    get(sim.port(), "/site/1?status=500");
    get(sim.port(), "/site/1?fault=garbage");
    const auto s = stats(sim.port());
    CHECK(s["requests"] == 3);
    CHECK(s["faults"] == 2);
    CHECK(s["connections_accepted"] == 3);
}

TEST_CASE("/__stats sees real concurrency: K concurrent connections peak at K, /__reset starts over") {
    Sitesim sim;
    REQUIRE(sim.port() != 0);
    get(sim.port(), "/site/0");
    reset(sim.port());
    auto s = stats(sim.port());
    CHECK(s["requests"] == 0);
    CHECK(s["connections_accepted"] == 0);
    CHECK(s["peak_in_flight"] == 0);

    constexpr int k = 8;
    std::vector<std::unique_ptr<Connection>> clients;
    for (int i = 0; i < k; ++i) {
        clients.push_back(std::make_unique<Connection>(sim.port()));
        REQUIRE(clients.back()->send_get(sitesim::site_path(static_cast<std::size_t>(i)) + "?delay_ms=600&bytes=100"));
    }
    for (auto& c : clients) CHECK(c->read_response().body.size() == 100);
    s = stats(sim.port());
    CHECK(s["requests"] == k);
    CHECK(s["peak_in_flight"] == k);
    CHECK(s["peak_connections"] == k);
    CHECK(s["connections_accepted"] == k);
    CHECK(s["connections"] == k);  // still open: keep-alive
    clients.clear();
    CHECK(eventually([&] { return stats(sim.port())["connections"] == 0; }));
    reset(sim.port());
    s = stats(sim.port());
    CHECK(s["peak_connections"] == 0);
    CHECK(s["peak_in_flight"] == 0);
}

TEST_CASE("bad input never kills it") {
    Sitesim sim;
    REQUIRE(sim.port() != 0);
    SUBCASE("garbage request lines get 400 and a close") {
        for (const std::string& junk : {std::string("hello there\r\n\r\n"), std::string("\x01\x02\x03\xff garbage", 12),
                                       std::string("POST / HTTP/1.1\r\n\r\n"), std::string("GET / SPDY/3\r\n\r\n")}) {
            Connection c(sim.port());
            c.send(junk);
            const auto r = c.read_response();
            CHECK(r.status == 400);
            bool eof = false;
            c.read_all(2000ms, nullptr, &eof);
            CHECK(eof);
        }
    }
    SUBCASE("a 20 KiB header gets 431") {
        Connection c(sim.port());
        c.send("GET / HTTP/1.1\r\nX-Big: " + std::string(20 * 1024, 'a') + "\r\n\r\n");
        CHECK(c.read_response().status == 431);
    }
    SUBCASE("clients vanish mid-response") {
        for (int i = 0; i < 3; ++i) {
            Connection c(sim.port());
            c.send_get("/site/1?bytes=20000000&delay_ms=0");
            CHECK(!c.read_some(2000ms).empty());
            if (i == 1) {  // leave with a reset instead of a FIN
                linger hard{1, 0};
                ::setsockopt(c.fd(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
            }
        }
        Connection half(sim.port());
        half.send("GET /site/1 HTTP/1.1\r\nHost:");  // and leaves before finishing the head
        Connection waiting(sim.port());
        waiting.send_get("/site/1?delay_ms=200");  // leaves before the answer
    }
    // Still serving.
    const auto r = get(sim.port(), "/site/2?bytes=5");
    CHECK(r.status == 200);
    CHECK(r.body.size() == 5);
    CHECK(eventually([&] { return stats(sim.port())["in_flight"] == 0; }));
}

TEST_CASE("--max-connections: extra clients wait in the backlog until a connection closes") {
    Sitesim sim({"--latency-ms", "5", "--max-connections", "1"});
    REQUIRE(sim.port() != 0);
    auto first = std::make_unique<Connection>(sim.port());
    first->send_get("/site/1?bytes=1");
    CHECK(first->read_response().status == 200);
    Connection second(sim.port());
    REQUIRE(second.connected());  // the kernel completes the handshake; sitesim has not accepted it
    second.send_get("/site/1?bytes=2");
    CHECK(second.read_all(300ms).empty());
    first.reset();
    CHECK(second.read_response().body.size() == 2);
}

TEST_CASE("command line errors and a busy port exit with status 2 and a message") {
    Sitesim busy;
    REQUIRE(busy.port() != 0);
    const auto port = std::to_string(busy.port());
    auto [status, err] = run_to_exit({"--port", port});
    CHECK(exited_with(status, 2));
    CHECK(err.find("sitesim: cannot listen on 127.0.0.1:" + port + ": Address already in use") != std::string::npos);

    std::tie(status, err) = run_to_exit({"--bind", "256.1.2.3"});
    CHECK(exited_with(status, 2));
    CHECK(err.find("cannot listen on 256.1.2.3") != std::string::npos);

    for (const std::vector<std::string>& bad : {std::vector<std::string>{"--bogus"}, {"--port", "70000"},
                                                {"--latency-ms", "-1"}, {"--seed", "x"}, {"--max-connections", "0"}}) {
        CAPTURE(bad.front());
        std::tie(status, err) = run_to_exit(bad);
        CHECK(exited_with(status, 2));
        CHECK_FALSE(err.empty());
    }
    std::string out;
    std::tie(status, err) = run_to_exit({"--help"}, &out);
    CHECK(exited_with(status, 0));
    CHECK(out.find("--latency-ms") != std::string::npos);
    std::tie(status, err) = run_to_exit({"--version"}, &out);
    CHECK(exited_with(status, 0));
    CHECK(out.find("sitesim") != std::string::npos);
}
