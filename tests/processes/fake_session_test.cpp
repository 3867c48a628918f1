// Chapter 3's model given the fake sessions (tests/support/fake_session.hpp) instead of
// libcurl: workers that die in the middle of a URL, by a signal or with a failure status. The
// fake kills the worker process that fetches "fake://kill", exactly as the OOM killer would.
//
// These cases fork; ctest runs each in a fresh, single-threaded process.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "fake_session.hpp"
#include "processes.hpp"

namespace {

std::vector<std::string> ok_urls(std::size_t count) {
    std::vector<std::string> urls;
    for (std::size_t i = 0; i < count; ++i) urls.push_back("fake://ok/" + std::to_string(i));
    return urls;
}

// No child of this process is left, not even a zombie (waitpid would find it).
void check_no_child_left() {
    int status = 0;
    CHECK(::waitpid(-1, &status, WNOHANG) == -1);
    CHECK(errno == ECHILD);
}

}  // namespace

TEST_CASE("a worker killed by a signal costs exactly the URL it held, reported with the cause") {
    auto urls = ok_urls(30);
    urls[7] = "fake://kill";
    tour::Progress progress(urls.size(), false);
    const auto results = processes::download_all(urls, tour::FetchOptions{}, tour_test::fake_sessions(), 3, progress);

    REQUIRE(results.size() == urls.size());
    CHECK(progress.done() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(i);
        CHECK(results[i].url == urls[i]);
        if (i == 7) {
            CHECK(results[i].error == "lost: worker " + std::to_string(results[i].worker) + " killed by SIGKILL");
        } else {
            CHECK_MESSAGE(results[i].ok(), results[i].error);  // the survivors took everything else
            CHECK(results[i].bytes == urls[i].size());
        }
    }
    check_no_child_left();
}

TEST_CASE("a worker that exits with a failure status is reported the same way") {
    auto urls = ok_urls(12);
    urls[4] = "fake://exit/3";
    tour::Progress progress(urls.size(), false);
    const auto results = processes::download_all(urls, tour::FetchOptions{}, tour_test::fake_sessions(), 2, progress);
    std::size_t lost = 0;
    for (std::size_t i = 0; i < urls.size(); ++i) {
        if (results[i].ok()) continue;
        ++lost;
        CHECK(i == 4);
        CHECK(results[i].error == "lost: worker " + std::to_string(results[i].worker) + " exited with status 3");
    }
    CHECK(lost == 1);
    check_no_child_left();
}

TEST_CASE("every worker dead: the held URL is lost, the rest are reported as not fetched, and the call returns") {
    auto urls = ok_urls(6);
    urls[2] = "fake://kill";
    tour::Progress progress(urls.size(), false);
    const auto results = processes::download_all(urls, tour::FetchOptions{}, tour_test::fake_sessions(), 1, progress);
    REQUIRE(results.size() == 6);
    CHECK(results[0].ok());
    CHECK(results[1].ok());
    CHECK(results[2].error == "lost: worker 0 killed by SIGKILL");
    for (std::size_t i = 3; i < urls.size(); ++i) {
        CHECK(results[i].url == urls[i]);
        CHECK(results[i].error == "not fetched: every worker process died (worker 0 killed by SIGKILL)");
    }
    CHECK(progress.done() == urls.size());
    check_no_child_left();
}

TEST_CASE("two URLs that kill: two workers lost, each URL reported once, the third worker finishes the list") {
    auto urls = ok_urls(20);
    urls[2] = "fake://kill";
    urls[11] = "fake://kill";
    tour::Progress progress(urls.size(), false);
    const auto results = processes::download_all(urls, tour::FetchOptions{}, tour_test::fake_sessions(), 3, progress);
    std::set<int> dead_workers;
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(i);
        if (i == 2 || i == 11) {
            CHECK(results[i].error.rfind("lost: worker ", 0) == 0);
            dead_workers.insert(results[i].worker);
        } else {
            CHECK_MESSAGE(results[i].ok(), results[i].error);
        }
    }
    CHECK(dead_workers.size() == 2);
    check_no_child_left();
}
