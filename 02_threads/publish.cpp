// publish: hand a result from one thread to another through an atomic flag, with no mutex.
//
//   ./build/02_threads/publish             # release/acquire: correct
//   ./build/02_threads/publish --relaxed   # the same with memory_order_relaxed: a data race
//
// The worker fills in a Page (a plain struct), then sets `ready`; the main thread waits until it
// sees `ready` and reads the Page. Whether that read is safe depends only on the memory order of
// the store and the load. On x86 both versions print the same: the hardware keeps stores in
// order. The relaxed one is still wrong - the compiler may reorder, and ARM does - and
// ThreadSanitizer, which checks what the language promises rather than what x86 happens to do,
// reports it (build in the tsan preset: docs/02-threads.md shows the report).
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>

#include "common/hash.hpp"

namespace {

struct Page {
    std::string url;
    std::string body;
    std::uint64_t hash = 0;
};

// What this thread read from the Page.
struct Received {
    std::string url;
    std::size_t bytes = 0;
    std::uint64_t hash = 0;
};

// [docs:publish]
// `page` is written by the worker only before it sets `ready`, and read by this thread only after
// it has seen `ready` set. The store (release) and the load that sees it (acquire) synchronise:
// everything the worker wrote before the store happens before everything this thread does after
// the load. With relaxed on either side there is no such edge: a data race on `page`.
template <std::memory_order Store, std::memory_order Load>
Received hand_over() {
    Page page;
    std::atomic<bool> ready{false};
    // [docs:publish_flag]
    std::thread worker([&page, &ready] {
        page.url = "http://127.0.0.1/site/0";
        page.body.assign(1 << 20, 'x');
        page.hash = tour::fnv1a_update(tour::fnv1a_offset_basis, page.body);
        ready.store(true, Store);  // publish: all of `page` is complete
        ready.notify_one();
    });
    ready.wait(false, Load);  // returns once this load sees true (no busy loop)
    // [/docs:publish_flag]
    // Read now, while the worker may still run: only the flag orders these reads after its writes.
    Received received{page.url, page.body.size(), page.hash};
    worker.join();
    return received;
}
// [/docs:publish]

}  // namespace

int main(int argc, char** argv) {
    const bool relaxed = argc == 2 && std::string_view(argv[1]) == "--relaxed";
    if (argc > 2 || (argc == 2 && !relaxed)) {
        const bool help = argc == 2 && std::string_view(argv[1]) == "--help";
        std::fprintf(help ? stdout : stderr, "usage: publish [--relaxed]   (release/acquire by default)\n");
        return help ? 0 : 2;
    }
    const Received page = relaxed ? hand_over<std::memory_order_relaxed, std::memory_order_relaxed>()
                              : hand_over<std::memory_order_release, std::memory_order_acquire>();
    const std::uint64_t expected = tour::fnv1a_update(tour::fnv1a_offset_basis, std::string(1 << 20, 'x'));
    std::printf("publish (%s): %s, %zu bytes, hash %s\n", relaxed ? "relaxed" : "release/acquire", page.url.c_str(),
                page.bytes, page.hash == expected ? "as computed by the worker" : "WRONG");
    return page.hash == expected ? 0 : 1;
}
