// message_cost, as a user runs it: every way measured, the bytes each message moves, a clean
// exit; bad input exits 2. The times are for the chapter, not for a test.
#include <doctest/doctest.h>

#include <string>

#include "run_program.hpp"

using tour_test::build_path;
using tour_test::contains;
using tour_test::run_program;

namespace {
const auto program = build_path("03_processes/message_cost");
}  // namespace

TEST_CASE("message_cost: three ways, the chapter's record size, exit 0") {
    const auto run = run_program(program, {"--messages", "300"});
    CAPTURE(run.out);
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "A task down and a result back, 300 times each"));
    // 4 bytes of task index down, processes.cpp's 440-byte Record back.
    CHECK(contains(run.out, "processes, a pipe, the result as plain bytes      444 B"));
    CHECK(contains(run.out, "processes, a pipe, the result as JSON text"));
    CHECK(contains(run.out, "threads, a queue, the result moved                  0 B"));
    CHECK(contains(run.out, "JSON text (dump, then parse)"));
}

TEST_CASE("message_cost: bad --messages exits 2 with a message") {
    for (const char* bad : {"0", "-5", "many", ""}) {
        CAPTURE(bad);
        const auto run = run_program(program, {"--messages", bad});
        CHECK(run.exit_code == 2);
        CHECK(contains(run.err, "--messages"));
        CHECK(run.out.empty());
    }
}
