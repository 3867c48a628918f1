// Stopping in chapter 2: the pool and the futures model stop on a deadline, Ctrl-C, SIGTERM
// and --fail-fast, checked from the simulator's counters (tests/support/stop_check.hpp).
#include <csignal>

#include <doctest/doctest.h>

#include "run_program.hpp"
#include "stop_check.hpp"

namespace {
tour_test::StopTarget pool() { return {tour_test::build_path("02_threads/02_threads"), {"--workers", "8"}, 8}; }
tour_test::StopTarget futures() {
    return {tour_test::build_path("02_threads/02_threads"), {"--model", "futures", "--workers", "8"}, 8};
}
// With a cap, the task that gets a permit first is the scheduler's choice (a counting_semaphore
// promises no order): the reset URL could wait behind 8 two-second pages. Uncapped, every task
// starts at once, so the reset is the first failure and the 39 pages are in flight when it stops them.
tour_test::StopTarget futures_uncapped() {
    return {tour_test::build_path("02_threads/02_threads"), {"--model", "futures", "--workers", "0"}, 40};
}
}  // namespace

TEST_CASE("pool: --deadline 1 cancels the rest, exit 1, every URL accounted for") { tour_test::check_deadline_stop(pool()); }
TEST_CASE("pool: SIGINT to the pid: partial report, --json, exit 130") { tour_test::check_signal_stop(pool(), SIGINT, false); }
TEST_CASE("pool: Ctrl-C (SIGINT to the process group): the same") { tour_test::check_signal_stop(pool(), SIGINT, true); }
TEST_CASE("pool: SIGTERM: the same, exit 143") { tour_test::check_signal_stop(pool(), SIGTERM, false); }
TEST_CASE("pool: a second stop signal ends the program at once") { tour_test::check_second_signal(pool()); }
TEST_CASE("pool: --fail-fast with a reset URL first stops the run") { tour_test::check_fail_fast(pool()); }
TEST_CASE("pool: a deadline aborts transfers mid-body") { tour_test::check_mid_body_stop(pool()); }

TEST_CASE("futures: --deadline 1 cancels the rest, exit 1, every URL accounted for") { tour_test::check_deadline_stop(futures()); }
TEST_CASE("futures: SIGINT to the pid: partial report, --json, exit 130") { tour_test::check_signal_stop(futures(), SIGINT, false); }
TEST_CASE("futures: Ctrl-C (SIGINT to the process group): the same") { tour_test::check_signal_stop(futures(), SIGINT, true); }
TEST_CASE("futures: SIGTERM: the same, exit 143") { tour_test::check_signal_stop(futures(), SIGTERM, false); }
TEST_CASE("futures: a second stop signal ends the program at once") { tour_test::check_second_signal(futures()); }
TEST_CASE("futures, uncapped: --fail-fast with a reset URL first stops the run") {
    tour_test::check_fail_fast(futures_uncapped());
}
TEST_CASE("futures: a deadline aborts transfers mid-body") { tour_test::check_mid_body_stop(futures()); }
