// Stopping in chapter 1: the serial program stops on a deadline, Ctrl-C, SIGTERM and
// --fail-fast, checked from the simulator's counters (tests/support/stop_check.hpp).
#include <csignal>

#include <doctest/doctest.h>

#include "run_program.hpp"
#include "stop_check.hpp"

namespace {
tour_test::StopTarget serial() { return {tour_test::build_path("01_serial/01_serial"), {}, 1}; }
}  // namespace

TEST_CASE("serial: --deadline 1 cancels the rest, exit 1, every URL accounted for") { tour_test::check_deadline_stop(serial()); }
TEST_CASE("serial: SIGINT to the pid: partial report, --json, exit 130") { tour_test::check_signal_stop(serial(), SIGINT, false); }
TEST_CASE("serial: Ctrl-C (SIGINT to the process group): the same") { tour_test::check_signal_stop(serial(), SIGINT, true); }
TEST_CASE("serial: SIGTERM: the same, exit 143") { tour_test::check_signal_stop(serial(), SIGTERM, false); }
TEST_CASE("serial: a second stop signal ends the program at once") { tour_test::check_second_signal(serial()); }
TEST_CASE("serial: --fail-fast with a reset URL first stops the run") { tour_test::check_fail_fast(serial()); }
TEST_CASE("serial: a deadline aborts a transfer mid-body") { tour_test::check_mid_body_stop(serial()); }
