// Chapter 2's concept programs as a reader runs them: std::async's pitfalls (futures_pitfalls),
// publishing through a flag (publish), the counter benchmark's bookkeeping (counter_bench) and
// the deadlock with its fix (deadlock). What must hold is read from their output and exit
// status; the simulator's in-flight counter stands in for timing. Under ThreadSanitizer the
// wrong versions must draw its report, and the right ones must not.
#include <doctest/doctest.h>

#include "run_program.hpp"

using tour_test::build_path;
using tour_test::contains;
using tour_test::run_program;

namespace {
#if defined(__SANITIZE_THREAD__)
constexpr bool under_tsan = true;
#else
constexpr bool under_tsan = false;
#endif
constexpr const char* tsan_warning = "WARNING: ThreadSanitizer";
}  // namespace

TEST_CASE("futures_pitfalls: deferral, the blocking destructor and exceptions through get(), shown") {
    const auto run = run_program(build_path("02_threads/futures_pitfalls"), {}, std::chrono::seconds(60));
    CAPTURE(run.out);
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK_FALSE(contains(run.err, tsan_warning));
    // 1. A deferred task has not run (the server saw no request) and then runs on the caller's thread.
    CHECK(contains(run.out, "launch::deferred: after 500 ms wait_for(0s) says deferred, server: 0 requests so far"));
    CHECK(contains(run.out, "the task ran on the main thread: yes"));
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    // ... and the default policy defers when no thread can start (not in sanitizer builds).
    CHECK(contains(run.out, "launch::async throws std::system_error (Resource temporarily unavailable)"));
    CHECK(contains(run.out, "the default policy gave a future whose wait_for(0s) says deferred"));
#endif
    // 2. Futures dropped in the loop: one request at a time; kept: all three at once.
    CHECK(contains(run.out, "3 tasks: "));
    CHECK(contains(run.out, "ms, server: at most 1 in flight\n   futures kept"));
    CHECK(contains(run.out, "ms, server: at most 3 in flight"));
    // 3. The task's exception, rethrown by get(); a second get() finds no state.
    CHECK(contains(run.out, "get() threw std::runtime_error on the main thread: HTTP status 500"));
    CHECK(contains(run.out, "get() again: std::future_error"));
    // 4.
    CHECK(contains(run.out, "get() here: HTTP 200, "));
    CHECK(run_program(build_path("02_threads/futures_pitfalls"), {"--nope"}).exit_code == 2);
}

TEST_CASE("publish: release/acquire hands the page over intact, relaxed is what TSan reports") {
    const auto right = run_program(build_path("02_threads/publish"), {}, std::chrono::seconds(60));
    CAPTURE(right.err);
    CHECK(right.exit_code == 0);
    CHECK(contains(right.out, "publish (release/acquire): http://127.0.0.1/site/0, 1048576 bytes, hash as computed"));
    CHECK_FALSE(contains(right.err, tsan_warning));
    if (under_tsan) {
        // The same program with relaxed orders: TSan reports the reads of the page as racing
        // with the worker's writes, and ends the process with its exit code, 66.
        const auto wrong = run_program(build_path("02_threads/publish"), {"--relaxed"}, std::chrono::seconds(60));
        CHECK(wrong.exit_code == 66);
        CHECK(contains(wrong.err, "WARNING: ThreadSanitizer: data race"));
        CHECK(contains(wrong.err, "hand_over<(std::memory_order)0, (std::memory_order)0>"));
    }
    CHECK(run_program(build_path("02_threads/publish"), {"--acquire"}).exit_code == 2);
}

TEST_CASE("counter_bench: every increment counted, whatever the memory order") {
    const auto run = run_program(build_path("02_threads/counter_bench"), {"3", "20000"}, std::chrono::seconds(60));
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "counter_bench: 3 threads, 20000 operations each per phase"));
    CHECK(contains(run.out, "shared counter: 120000, expected 120000"));
    CHECK(contains(run.out, "store, seq_cst, a flag per thread"));
    for (const char* bad : {"0", "x", "257"}) {
        CAPTURE(bad);
        CHECK(run_program(build_path("02_threads/counter_bench"), {bad}).exit_code == 2);
    }
}

// Opposite lock orders deadlock at the first moves the two threads make at the same time (the
// program widens the window between the two locks to 2 ms); the program's own watchdog ends it with status 3 after 1 s without progress. The
// test's limit (60 s) is only the last resort.
TEST_CASE("deadlock: opposite lock orders end in the watchdog's verdict, scoped_lock finishes") {
    const auto stuck = run_program(build_path("02_threads/deadlock"), {}, std::chrono::seconds(60));
    CAPTURE(stuck.out);
    CAPTURE(stuck.err);
    CHECK_FALSE(stuck.timed_out);
    if (under_tsan) {
        // TSan reports the inversion as soon as both orders have been seen; with the tsan
        // preset's TSAN_OPTIONS=halt_on_error=1 it then ends the process itself (exit code 66)
        // before the watchdog's second has passed.
        CHECK(contains(stuck.err, "WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock)"));
        CHECK((stuck.exit_code == 66 || stuck.exit_code == 3));
    } else {
        CHECK(stuck.exit_code == 3);
        CHECK(contains(stuck.err, "deadlock: no move for 1 s after "));
    }

    const auto fixed = run_program(build_path("02_threads/deadlock"), {"--fixed"}, std::chrono::seconds(60));
    CAPTURE(fixed.err);
    CHECK(fixed.exit_code == 0);
    CHECK(contains(fixed.out, "deadlock (scoped_lock): 600 moves, "));
    CHECK(contains(fixed.out, "(100 in all)"));
    CHECK_FALSE(contains(fixed.err, tsan_warning));
}
