// The check for exercise 4.4: begin() and end() count how many calls of either are running at
// once (each stays inside for a millisecond, so calls that can overlap do); work() counts the
// same for itself. The answer is right when the book-keeping never overlaps, work still does,
// and every item is begun once, then ended once with its own result.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "exercise_check.hpp"
#include "strand.hpp"

namespace {

// Counts the calls inside a function at once, and the most there ever were.
struct Overlap {
    std::atomic<int> inside{0};
    std::atomic<int> most{0};
    void enter() {
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
    }
    void leave() { --inside; }
};

std::uint64_t expected_result(std::size_t i) { return i * 1'000'003 + 7; }

}  // namespace

TEST_CASE("4 threads, 48 items: begin() and end() never overlap, work() still runs in parallel, every item once") {
    constexpr std::size_t count = 48;
    Overlap in_work;
    Overlap in_books;  // begin and end together: they share the books
    // Written only inside begin() and end(); the atomics let a wrong answer fail a CHECK instead of racing.
    std::vector<std::atomic<int>> begun(count), ended(count), ended_before_begun(count);
    std::vector<std::atomic<std::uint64_t>> recorded(count);

    const auto stay = [] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); };
    const auto begin = [&](std::size_t i) {
        in_books.enter();
        stay();
        if (i < count) ++begun[i];
        in_books.leave();
    };
    const auto work = [&](std::size_t i) {
        in_work.enter();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // long enough to overlap, if it can
        in_work.leave();
        return expected_result(i);
    };
    const auto end = [&](std::size_t i, std::uint64_t result) {
        in_books.enter();
        stay();
        if (i < count) {
            if (begun[i] == 0) ++ended_before_begun[i];
            ++ended[i];
            recorded[i] = result;
        }
        in_books.leave();
    };
    tour_check::within("process_all(4 threads, 48 items) did not return: do the threads' run() calls end?",
                       [&] { exercise::process_all(4, count, begin, work, end); });

    CHECK_MESSAGE(in_books.most.load() == 1, "begin() and end() share books that are not thread-safe, yet "
                  << in_books.most.load() << " of their calls ran at the same time (at most 1 may)");
    CHECK_MESSAGE(in_work.most.load() >= 2, "work() never ran on two threads at once (the most at a time: "
                  << in_work.most.load() << "): only the book-keeping must be one at a time, not the work");
    std::size_t wrong = 0, out_of_order = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (begun[i] != 1 || ended[i] != 1 || recorded[i].load() != expected_result(i)) ++wrong;
        if (ended_before_begun[i] != 0) ++out_of_order;
    }
    CHECK_MESSAGE(wrong == 0, wrong << " of 48 items were not begun once and ended once with their own result");
    CHECK_MESSAGE(out_of_order == 0, out_of_order << " items were ended before they were begun");
}
