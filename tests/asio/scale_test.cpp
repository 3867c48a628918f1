// 10,000 URLs on one thread, every byte checked. Under ASan/TSan, 2,000 (the sanitizers make
// each request 5-15x slower; the code paths are the same).
#include <doctest/doctest.h>

#include <iostream>

#include <dirent.h>

#include "asio_support.hpp"
#include "async_http_client.hpp"
#include "common/posix.hpp"
#include "simulator/sitesim_process.hpp"
#include "event_loop.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::size_t url_count = 2'000;
#else
constexpr std::size_t url_count = 10'000;
#endif

namespace {
std::size_t page_bytes(std::size_t i) { return 1024 + (i % 17) * 256; }
std::size_t thread_count() {  // entries in /proc/self/task
    std::size_t n = 0;
    if (DIR* dir = ::opendir("/proc/self/task")) {
        while (const dirent* entry = ::readdir(dir)) n += entry->d_name[0] != '.';
        ::closedir(dir);
    }
    return n;
}
}  // namespace

TEST_CASE("10,000 URLs (2,000 under sanitizers) complete on one thread with every byte right") {
    tour_test::ensure_curl_global();
    const std::size_t limit = tour::raise_open_file_limit();
    MESSAGE("open-file limit " << limit << ", " << url_count << " URLs");
    // 500 ms mean latency (250-750 ms): download_all starts lanes a few per turn of the loop,
    // so with short latencies the first requests would be done before the last had started,
    // and the server would never see many at once.
    tour::SiteSimulator sim(asio_test::sim_config(11, 500));
    // Small pages (1-5 KiB, by the bytes= override): the test is about 10,000 connections on
    // one thread, not about moving 650 MB through loopback; the benchmark uses full pages.
    std::vector<std::string> urls = sim.urls(url_count);
    for (std::size_t i = 0; i < urls.size(); ++i) urls[i] += "?bytes=" + std::to_string(page_bytes(i));
    tour::Progress progress(urls.size(), false);
    const std::size_t threads_before = thread_count();
    // No cap unless the open-file limit forces one (in_flight_cap says so on stderr).
    const std::size_t cap = event_loop::in_flight_cap(0, urls.size(), std::cerr);
    tour::RunStop stop;
    const auto results = event_loop::download_all(urls, tour::FetchOptions{}, cap, stop, std::nullopt, progress);
    CHECK(thread_count() == threads_before);  // the model started no thread

    REQUIRE(results.size() == url_count);
    std::size_t ok = 0;
    for (std::size_t i = 0; i < urls.size(); ++i) {
        const bool right = results[i].ok() && results[i].bytes == page_bytes(i) &&
                           results[i].body_hash == tour_test::expected_hash(sitesim::site_path(i), page_bytes(i));
        if (!right) {
            CAPTURE(results[i].url);
            CHECK_MESSAGE(right, results[i].error);
        }
        ok += right;
    }
    CHECK(ok == url_count);
    const auto stats = sim.stats();
    CHECK(stats["requests"] == url_count);
    MESSAGE("server-side peak in flight: " << stats["peak_in_flight"] << ", connections: " << stats["connections_accepted"]);
    CHECK(stats["peak_in_flight"] > 100);  // many at once, from one thread (the exact peak depends on load)
}
