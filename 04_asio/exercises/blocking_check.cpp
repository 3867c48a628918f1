// The check for exercise 4.2: the server counts the requests in flight. A coroutine program
// with a blocking call inside still gets every page, but one at a time.
#include <doctest/doctest.h>

#include "blocking.hpp"
#include "simulator/sitesim_process.hpp"
#include "exercise_check.hpp"

TEST_CASE("20 URLs: all fetched, and all 20 in flight at the server at once") {
    static tour::CurlGlobal curl;
    tour::SiteSimulator::Config config;
    config.seed = 3;
    config.latency_ms = 40;
    tour::SiteSimulator sim(config);
    const auto urls = sim.urls(20);
    const auto results = tour_check::within("fetch_all(20 URLs of 40 ms each) did not return: does io.run() end? (a "
                                            "coroutine that never finishes keeps it running)",
                                            [&] { return exercise::fetch_all(urls, tour::FetchOptions{}); });
    REQUIRE(results.size() == 20);
    for (const auto& r : results) CHECK_MESSAGE(r.ok(), r.url << ": " << r.error);
    CHECK_MESSAGE(sim.stats()["peak_in_flight"] == 20, "the most requests the server saw in flight at once (20 coroutines on one thread: all 20, unless a call blocks the thread)");
}
