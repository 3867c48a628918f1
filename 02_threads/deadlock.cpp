// deadlock: two threads, two locks, taken in opposite orders - and the fix.
//
//   ./build/02_threads/deadlock           # each thread locks `from`, then `to`: deadlocks
//   ./build/02_threads/deadlock --fixed   # std::scoped_lock takes both at once: never deadlocks
//
// A crawler keeps two sets of URLs, each guarded by its own mutex: the ones being fetched and
// the ones to retry. One thread moves failed URLs from `fetching` to `retry`; another moves
// them back to be fetched again. Each move must hold both locks (a URL is never in neither
// set, nor in both). A watchdog ends the process if the moves stop making progress: a
// deadlocked thread cannot be woken, stopped or joined; only the process's end frees it.
// The window between a move's two locks is widened to 2 ms (see work_between_locks), so the
// deadlock comes at once instead of once in a while.
// Exit status: 0 all moves done, 3 deadlocked (the watchdog's verdict), 2 bad usage.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>

namespace {

using namespace std::chrono_literals;

struct UrlSet {
    std::mutex mutex;  // guards urls
    std::set<std::string> urls;
};

// What a move does while it holds its first lock: a 2 ms pause here, standing in for real work
// (checking the URL against a third structure, writing a log line). In real code this window
// is nanoseconds wide and the deadlock comes once in a long while, in production; widened, it comes
// as soon as both threads move at the same time. It changes how often, not whether.
constexpr auto work_between_locks = 2ms;

// [docs:move_deadlocks]
// Locks `from`, then `to`. One thread calls move_url(fetching, retry, ...), the other move_url(retry,
// fetching, ...): each can take its first lock and then wait for ever for the other's.
void move_url(UrlSet& from, UrlSet& to, const std::string& url) {
    const std::lock_guard lock_from(from.mutex);
    std::this_thread::sleep_for(work_between_locks);
    const std::lock_guard lock_to(to.mutex);
    if (from.urls.erase(url) == 1) to.urls.insert(url);
}
// [/docs:move_deadlocks]

// [docs:move_fixed]
// std::scoped_lock takes both mutexes as one step (std::lock's deadlock-avoidance algorithm:
// it never holds one while blocking on the other), whatever order they are named in.
void move_url_fixed(UrlSet& from, UrlSet& to, const std::string& url) {
    const std::scoped_lock both(from.mutex, to.mutex);
    std::this_thread::sleep_for(work_between_locks);  // the same work, with both locks held
    if (from.urls.erase(url) == 1) to.urls.insert(url);
}
// [/docs:move_fixed]

}  // namespace

int main(int argc, char** argv) {
    const bool fixed = argc == 2 && std::string_view(argv[1]) == "--fixed";
    if (argc > 2 || (argc == 2 && !fixed)) {
        const bool help = argc == 2 && std::string_view(argv[1]) == "--help";
        std::fprintf(help ? stdout : stderr, "usage: deadlock [--fixed]   (opposite lock orders by default)\n");
        return help ? 0 : 2;
    }
    constexpr int moves = 300;  // per thread: 0.6 s of moves on its own
    UrlSet fetching;
    UrlSet retry;
    for (int i = 0; i < 100; ++i) fetching.urls.insert("http://127.0.0.1/site/" + std::to_string(i));
    std::atomic<int> done{0};  // moves made by both threads: the watchdog's sign of progress

    // [docs:watchdog]
    auto mover = [&](UrlSet& from, UrlSet& to) {
        for (int i = 0; i < moves; ++i) {
            const std::string url = "http://127.0.0.1/site/" + std::to_string(i % 100);
            fixed ? move_url_fixed(from, to, url) : move_url(from, to, url);
            done.fetch_add(1, std::memory_order_relaxed);
        }
    };
    std::jthread to_retry(mover, std::ref(fetching), std::ref(retry));
    // The second mover starts once the first has moved a URL (threads of a real program start
    // at different times too). From its first move on, the two overlap.
    while (done.load(std::memory_order_relaxed) == 0) std::this_thread::sleep_for(1ms);
    std::jthread to_fetch(mover, std::ref(retry), std::ref(fetching));

    // The watchdog: if a whole second passes without one move, both threads are waiting for
    // each other. Joining them would wait for ever, so the process ends here, now.
    for (int last = -1; done.load(std::memory_order_relaxed) < 2 * moves;) {
        std::this_thread::sleep_for(1s);
        const int now = done.load(std::memory_order_relaxed);
        if (now == last) {
            std::fprintf(stderr, "deadlock: no move for 1 s after %d of %d; each thread holds one set's lock and "
                         "waits for the other's\n", now, 2 * moves);
            std::fflush(nullptr);
            std::_Exit(3);
        }
        last = now;
    }
    // [/docs:watchdog]
    to_retry.join();
    to_fetch.join();
    // Only the total is printed: how the URLs are split between the two sets depends on how the
    // moves interleaved, while the total (every URL in exactly one set) must not vary.
    const std::size_t total = fetching.urls.size() + retry.urls.size();
    const char* order = fixed ? "scoped_lock" : "opposite orders";
    if (total == 100) {
        std::printf("deadlock (%s): %d moves, every URL in one of the two sets (100 in all)\n", order, done.load());
    } else {
        std::printf("deadlock (%s): %d moves, %zu URLs in the two sets, expected 100\n", order, done.load(), total);
    }
    return total == 100 ? 0 : 1;
}
