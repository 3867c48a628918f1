// The model and the request parser: pure functions, tested without a server.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "simulator/request.hpp"
#include "simulator/site_model.hpp"

using namespace std::chrono_literals;

TEST_CASE("site paths") {
    CHECK(sitesim::site_path(0) == "/site/0");
    CHECK(sitesim::site_path(79) == "/site/79");
}

TEST_CASE("page_spec is deterministic and stays in its ranges") {
    const sitesim::SiteParams params{7, 150};
    std::set<std::size_t> sizes;
    std::set<long> latencies;
    for (std::size_t i = 0; i < 500; ++i) {
        const auto path = sitesim::site_path(i);
        const auto spec = sitesim::page_spec(params, path);
        const auto again = sitesim::page_spec(params, path);
        CHECK(spec.latency == again.latency);
        CHECK(spec.bytes == again.bytes);
        CHECK(spec.latency >= 75ms);   // [M/2, M/2 + M]
        CHECK(spec.latency <= 225ms);
        CHECK(spec.bytes >= sitesim::min_page_bytes);
        CHECK(spec.bytes <= sitesim::max_page_bytes);
        sizes.insert(spec.bytes);
        latencies.insert(static_cast<long>(spec.latency.count()));
    }
    // Spread out, not constant: nearly every size is distinct, latencies cover the range.
    CHECK(sizes.size() > 450);
    CHECK(latencies.size() > 100);
    CHECK(*latencies.begin() < 90);
    CHECK(*latencies.rbegin() > 210);
}

TEST_CASE("the seed changes the world, mean latency 0 means no latency") {
    int differ = 0;
    for (std::size_t i = 0; i < 50; ++i) {
        const auto path = sitesim::site_path(i);
        if (sitesim::page_spec({1, 150}, path).bytes != sitesim::page_spec({2, 150}, path).bytes) ++differ;
        CHECK(sitesim::page_spec({1, 0}, path).latency == 0ms);
        // The size depends on the seed and path only, not on the latency setting.
        CHECK(sitesim::page_spec({1, 0}, path).bytes == sitesim::page_spec({1, 150}, path).bytes);
    }
    CHECK(differ > 45);
}

TEST_CASE("bodies are printable lines of 64 bytes, different per path") {
    const std::string path = "/site/3";
    std::string body;
    for (std::size_t i = 0; i < 1000; ++i) body += sitesim::body_byte(path, i);
    for (std::size_t i = 0; i < body.size(); ++i) {
        CAPTURE(i);
        if (i % 64 == 63) {
            CHECK(body[i] == '\n');
        } else {
            CHECK(body[i] >= ' ');
            CHECK(body[i] <= '~');
        }
    }
    std::string other;
    for (std::size_t i = 0; i < 1000; ++i) other += sitesim::body_byte("/site/4", i);
    CHECK(body != other);
    CHECK(std::set<char>(body.begin(), body.end()).size() > 40);  // not a repeated pattern

    std::vector<char> filled(700);
    sitesim::fill_body(path, 300, filled);
    CHECK(std::string(filled.begin(), filled.end()) == body.substr(300, 700));
}

namespace {
// tour::BodyHash by its definition, written the slow, obvious way: FNV-1a's step over 8-byte
// little-endian words (the last one zero-padded), then the length.
std::uint64_t body_hash_by_definition(const std::string& body) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (std::size_t at = 0; at < body.size(); at += 8) {
        std::uint64_t word = 0;
        for (std::size_t b = 0; b < 8 && at + b < body.size(); ++b)
            word |= std::uint64_t{static_cast<unsigned char>(body[at + b])} << (8 * b);
        hash = (hash ^ word) * 1099511628211ULL;
    }
    return (hash ^ body.size()) * 1099511628211ULL;
}
}  // namespace

TEST_CASE("expected_body_hash is the BodyHash of the body, whatever pieces it is fed in") {
    const std::string path = "/site/11";
    std::string body;
    for (std::size_t i = 0; i < 10003; ++i) body += sitesim::body_byte(path, i);
    const std::uint64_t whole = body_hash_by_definition(body);
    CHECK(sitesim::expected_body_hash(path, body.size()) == whole);
    CHECK(sitesim::expected_body_hash(path, 9999) != whole);
    for (const std::size_t piece : {1, 3, 7, 8, 13, 4096}) {  // curl's chunks can be any size
        CAPTURE(piece);
        tour::BodyHash hash;
        for (std::size_t at = 0; at < body.size(); at += piece) hash.update(std::string_view(body).substr(at, piece));
        CHECK(hash.value() == whole);
    }
    // The length is part of the value: zero-padding cannot make "a" and "a\0" collide.
    tour::BodyHash a, a0, empty;
    a.update("a");
    a0.update(std::string_view("a\0", 2));
    CHECK(a.value() != a0.value());
    CHECK(a.value() == body_hash_by_definition("a"));
    CHECK(sitesim::expected_body_hash(path, 0) == empty.value());
    CHECK(tour::fnv1a_update(tour::fnv1a_offset_basis, "a") == 0xaf63dc4c8601ec8cULL);  // FNV-1a("a"), for paths
}

TEST_CASE("request heads: complete, incomplete, bad, too large") {
    using sitesim::HeadStatus;
    auto parsed = sitesim::parse_request_head("GET /site/1?x=1 HTTP/1.1\r\nHost: a\r\n\r\nGET /next");
    REQUIRE(parsed.status == HeadStatus::complete);
    CHECK(parsed.head.method == "GET");
    CHECK(parsed.head.target == "/site/1?x=1");
    CHECK(parsed.head.keep_alive);
    CHECK(parsed.consumed == 37);

    CHECK(sitesim::parse_request_head("HEAD / HTTP/1.1\r\nConnection: Close\r\n\r\n").head.keep_alive == false);
    CHECK(sitesim::parse_request_head("GET / HTTP/1.0\r\n\r\n").head.keep_alive == false);
    CHECK(sitesim::parse_request_head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").head.keep_alive);
    CHECK(sitesim::parse_request_head("GET / HTTP/1.1\n\n").status == HeadStatus::complete);

    for (const char* partial : {"", "GE", "GET /site", "GET / HTTP/1.1\r\nHost: x\r\n"}) {
        CAPTURE(partial);
        CHECK(sitesim::parse_request_head(partial).status == HeadStatus::incomplete);
    }
    for (const char* bad : {"\x01\x02garbage", "hello there\r\n\r\n", "POST / HTTP/1.1\r\n\r\n", "GET / HTTP/2\r\n\r\n",
                            "GET  / HTTP/1.1\r\n\r\n", "GET nopath HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nno colon\r\n\r\n",
                            "GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", " GET / HTTP/1.1\r\n\r\n"}) {
        CAPTURE(bad);
        CHECK(sitesim::parse_request_head(bad).status == HeadStatus::bad);
    }
    const std::string huge = "GET / HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
    CHECK(sitesim::parse_request_head(huge).status == HeadStatus::too_large);
    CHECK(sitesim::parse_request_head(huge.substr(0, 17000)).status == HeadStatus::too_large);
}

TEST_CASE("page requests: the model, overrides and faults") {
    const sitesim::SiteParams params{5, 40};
    const auto spec = sitesim::page_spec(params, "/site/2");
    auto p = sitesim::parse_page_request(params, "/site/2");
    REQUIRE(p.error.empty());
    CHECK(p.page.path == "/site/2");
    CHECK(p.page.delay == spec.latency);
    CHECK(p.page.bytes == spec.bytes);
    CHECK(p.page.status == 200);
    CHECK(p.page.fault == sitesim::Fault::none);

    p = sitesim::parse_page_request(params, "/site/2?delay_ms=7&bytes=99&status=503&fault=truncate");
    REQUIRE(p.error.empty());
    CHECK(p.page.path == "/site/2");  // the query is not part of the hashed path
    CHECK(p.page.delay == 7ms);
    CHECK(p.page.bytes == 99);
    CHECK(p.page.status == 503);
    CHECK(p.page.fault == sitesim::Fault::truncate);

    CHECK(sitesim::parse_page_request(params, "/a?fault=redirect&to=http%3A%2F%2Fx%2Fy").page.location == "http://x/y");
    CHECK(sitesim::parse_page_request(params, "/a?fault=redirect").page.location == "/a");
    CHECK(sitesim::parse_page_request(params, "/a?bytes=5&fault=redirect&delay_ms=1").page.location == "/a?bytes=5&delay_ms=1");

    for (const char* bad : {"/a?fault=explode", "/a?bytes=abc", "/a?bytes=-1", "/a?delay_ms=", "/a?delay_ms=1x",
                            "/a?status=99", "/a?status=600", "/a?status=204", "/a?bytes=99999999999999999999"}) {
        CAPTURE(bad);
        CHECK_FALSE(sitesim::parse_page_request(params, bad).error.empty());
    }
    CHECK(sitesim::percent_decode("a%20b%zz%4") == "a b%zz%4");
}

TEST_CASE("a value that would reach a response header may not carry control bytes (response splitting)") {
    const sitesim::SiteParams params{5, 40};
    for (const char* bad : {"/a?fault=redirect&to=/x%0D%0AX-Injected:%20yes", "/a?fault=redirect&to=/x%0Ay",
                            "/a?fault=redirect&to=/x%00y", "/a?fault=redirect&to=/x%7Fy", "/a?to=%09"}) {
        CAPTURE(bad);
        const auto parsed = sitesim::parse_page_request(params, bad);
        CHECK(parsed.error.rfind("bad to: ", 0) == 0);
        CHECK(parsed.error.find_first_of("\r\n") == std::string::npos);  // the 400 body says it escaped
    }
    // Ordinary targets, spaces (a header value may hold them) and UTF-8 are fine.
    CHECK(sitesim::parse_page_request(params, "/a?fault=redirect&to=/b%20c").page.location == "/b c");
    CHECK(sitesim::parse_page_request(params, "/a?fault=redirect&to=/%C3%A9").error.empty());
}
