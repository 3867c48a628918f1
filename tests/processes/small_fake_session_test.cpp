// Chapter 3's first listing (03_processes/small.cpp) given the fake sessions
// (tests/support/fake_session.hpp): a worker that dies takes its unanswered URLs with it, and they
// are reported as lost, never dropped; the other workers' URLs arrive; every child is reaped.
//
// These cases fork; ctest runs each in a fresh, single-threaded process.
#include <doctest/doctest.h>

#include <cerrno>
#include <string>
#include <vector>

#include <sys/wait.h>

#include "fake_session.hpp"
#include "small.hpp"

TEST_CASE("the small version: a worker killed mid-run loses the URLs it had not answered, and says so") {
    std::vector<std::string> urls;
    for (std::size_t i = 0; i < 12; ++i) urls.push_back("fake://ok/" + std::to_string(i));
    urls[4] = "fake://kill";  // worker 1 of 3 (URLs 1, 4, 7, 10) dies at its second URL
    const auto results = processes::small::download_all(urls, 3, tour_test::fake_sessions());
    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(i);
        CHECK(results[i].url == urls[i]);
        if (i == 4 || i == 7 || i == 10) {
            CHECK(results[i].error == "lost: no answer from its worker");
        } else {
            CHECK_MESSAGE(results[i].ok(), results[i].error);
            CHECK(results[i].bytes == urls[i].size());  // the fake's body: as many bytes as the URL
        }
    }
    int status = 0;
    CHECK(::waitpid(-1, &status, WNOHANG) == -1);  // no child left, not even a zombie
    CHECK(errno == ECHILD);
}
