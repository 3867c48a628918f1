// HttpSession against the simulator: exact bytes, and an error with a reason for every fault.
#include <doctest/doctest.h>

#include "common/fetch.hpp"
#include "simulator/sitesim_process.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"

using namespace std::chrono_literals;

namespace {

struct Fixture {
    Fixture() { tour_test::ensure_curl_global(); }
    tour::SiteSimulator sim{3, 5};
    tour::FetchOptions options() const {
        tour::FetchOptions o;
        o.total_timeout = 2s;
        return o;
    }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "a page arrives whole: bytes and content match the simulator's model") {
    tour::HttpSession session(options());
    for (std::size_t i = 0; i < 5; ++i) {
        const auto url = sim.base_url() + sitesim::site_path(i);
        const auto r = session.get(url);
        CAPTURE(url);
        REQUIRE_MESSAGE(r.ok(), r.error);
        CHECK(r.http_status == 200);
        const auto spec = sitesim::page_spec({3, 5}, sitesim::site_path(i));
        CHECK(r.bytes == spec.bytes);
        CHECK(r.body_hash == tour_test::expected_hash(sitesim::site_path(i), spec.bytes));
        CHECK(r.end >= r.start);
    }
    // One session, one connection: keep-alive works.
    CHECK(sim.stats()["connections_accepted"] == 1);
}

TEST_CASE_FIXTURE(Fixture, "every fault becomes an error with a reason, and the session keeps working") {
    tour::HttpSession session(options());
    const std::string base = sim.base_url() + "/site/1?";
    struct Case {
        std::string query;
        std::string expected;  // a piece of the error text
    };
    for (const Case& c : std::vector<Case>{
             {"fault=reset", "curl error"},
             {"fault=truncate", "curl error 18"},         // CURLE_PARTIAL_FILE
             {"fault=garbage", "curl error"},
             {"fault=stall", "curl error 28"},            // CURLE_OPERATION_TIMEDOUT, bounded by the timeout
             {"fault=slowbody&bytes=100000", "curl error 28"},
             {"status=404", "HTTP status 404"},
             {"status=503", "HTTP status 503"},
             {"fault=redirect&to=file%3A%2F%2F%2Fetc%2Fpasswd", "curl error 1"},  // CURLE_UNSUPPORTED_PROTOCOL
         }) {
        CAPTURE(c.query);
        const auto started = tour::Clock::now();
        const auto r = session.get(base + c.query);
        CHECK_FALSE(r.ok());
        CHECK(r.error.find(c.expected) != std::string::npos);
        CAPTURE(r.error);
        CHECK(tour::Clock::now() - started < 5s);  // bounded by the 2 s timeout, with slack for sanitizers
        // The next request on the same session is unaffected.
        const auto next = session.get(sim.base_url() + "/site/2");
        CHECK_MESSAGE(next.ok(), next.error);
    }
}

TEST_CASE_FIXTURE(Fixture, "redirects are followed, within the hop limit") {
    tour::HttpSession session(options());
    const auto r = session.get(sim.base_url() + "/site/4?fault=redirect");
    REQUIRE_MESSAGE(r.ok(), r.error);
    CHECK(r.bytes == sitesim::page_spec({3, 5}, "/site/4").bytes);

    auto o = options();
    o.max_redirects = 0;
    tour::HttpSession strict(o);
    CHECK(strict.get(sim.base_url() + "/site/4?fault=redirect").error.find("curl error 47") != std::string::npos);
}

TEST_CASE_FIXTURE(Fixture, "a body over the size limit is an error, not a crash") {
    auto o = options();
    o.max_body_bytes = 1000;
    tour::HttpSession session(o);
    const auto r = session.get(sim.base_url() + "/site/1?bytes=5000");
    CHECK_FALSE(r.ok());
    CHECK(r.error.find("limit of 1000 bytes") != std::string::npos);
}

TEST_CASE("nothing listening: connection refused is reported, not thrown") {
    tour_test::ensure_curl_global();
    tour::HttpSession session;
    // Port 1 on loopback: nothing listens there on a test machine.
    const auto r = session.get("http://127.0.0.1:1/");
    CHECK_FALSE(r.ok());
    CHECK(r.http_status == 0);
    CHECK(r.error.find("curl error 7") != std::string::npos);
}
