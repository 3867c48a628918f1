// What libcurl's socket callback means, checked on the libcurl this tour builds against: the facts
// the bridge's rules 1 and 5 rest on (docs/deep/04-bridge.md). A plain poll() loop on the
// multi_socket interface, no Asio, two transfers one after the other on one multi handle,
// against sitesim (which keeps connections alive).
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>

#include "asio_support.hpp"

namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

struct Watcher {
    std::map<int, int> watched;  // fd -> what curl asked for
    std::vector<std::pair<int, int>> calls;  // every socket callback: (fd, what)
    long timeout_ms = -1;
    int calls_while_cleaning_up = 0;
    bool cleaning_up = false;
};

int on_socket(CURL*, curl_socket_t fd, int what, void* userp, void*) {
    auto& w = *static_cast<Watcher*>(userp);
    w.calls.emplace_back(fd, what);
    if (w.cleaning_up) ++w.calls_while_cleaning_up;
    if (what == CURL_POLL_REMOVE) w.watched.erase(fd); else w.watched[fd] = what;
    return 0;
}

int on_timer(CURLM*, long timeout_ms, void* userp) {
    auto& w = *static_cast<Watcher*>(userp);
    if (w.cleaning_up) ++w.calls_while_cleaning_up;
    w.timeout_ms = timeout_ms;
    return 0;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

// Run one GET on `multi` to the end with poll(); returns its HTTP status.
long run_one(CURLM* multi, Watcher& w, const std::string& url, bool forbid_reuse) {
    CURL* easy = curl_easy_init();
    REQUIRE(easy != nullptr);
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    if (forbid_reuse) curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    curl_multi_add_handle(multi, easy);
    int running = 1;
    while (running > 0) {
        std::vector<pollfd> fds;
        for (const auto& [fd, what] : w.watched) {
            const short events = static_cast<short>(((what & CURL_POLL_IN) != 0 ? POLLIN : 0) |
                                                    ((what & CURL_POLL_OUT) != 0 ? POLLOUT : 0));
            fds.push_back({fd, events, 0});
        }
        const int timeout = w.timeout_ms < 0 ? 100 : static_cast<int>(w.timeout_ms);
        if (::poll(fds.data(), fds.size(), timeout) == 0) {
            curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
            continue;
        }
        for (const pollfd& p : fds) {
            if (p.revents == 0) continue;
            const int ev = ((p.revents & POLLIN) != 0 ? CURL_CSELECT_IN : 0) |
                           ((p.revents & POLLOUT) != 0 ? CURL_CSELECT_OUT : 0) |
                           ((p.revents & (POLLERR | POLLHUP)) != 0 ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(multi, p.fd, ev, &running);
        }
    }
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(multi, easy);
    curl_easy_cleanup(easy);
    return status;
}

int last_removed(const Watcher& w) {
    REQUIRE_FALSE(w.calls.empty());
    CHECK(w.calls.back().second == CURL_POLL_REMOVE);
    return w.calls.back().first;
}

}  // namespace

TEST_CASE("CURL_POLL_REMOVE is not a close: a keep-alive socket stays open, comes back, and is closed by curl") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(asio_test::sim_config(9, 5));
    const auto urls = sim.urls(2);
    for (const bool forbid_reuse : {false, true}) {
        CAPTURE(forbid_reuse);
        sim.reset_stats();
        Watcher w;
        CURLM* multi = curl_multi_init();
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, &w);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, &w);

        CHECK(run_one(multi, w, urls[0], forbid_reuse) == 200);
        const int first = last_removed(w);
        // Keep-alive: REMOVE only says no transfer uses it now; the connection stays in curl's
        // cache, open. Without reuse curl closes it itself, in the call that said REMOVE.
        CHECK(is_open(first) == !forbid_reuse);

        w.calls.clear();
        CHECK(run_one(multi, w, urls[1], forbid_reuse) == 200);
        if (!forbid_reuse) {
            // The same fd is added again for the next request: the same connection.
            CHECK(w.calls.front() == std::make_pair(first, int{CURL_POLL_IN}));
            CHECK(is_open(first));
        }
        CHECK(sim.stats()["connections_accepted"] == (forbid_reuse ? 2 : 1));

        w.cleaning_up = true;
        curl_multi_cleanup(multi);
        // No socket was still watched, so curl_multi_cleanup called no callback; it closed the
        // cached connection.
        CHECK(w.calls_while_cleaning_up == 0);
        CHECK_FALSE(is_open(first));
    }
}
