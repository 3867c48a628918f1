// message_cost, as a user runs it: every way measured, the bytes each message moves, a clean
// exit; bad input exits 2. The times are for the chapter, not for a test.
#include <doctest/doctest.h>

#include <cstddef>
#include <optional>
#include <sstream>
#include <string>

#include "03_processes/record.hpp"
#include "run_program.hpp"

using tour_test::build_path;
using tour_test::contains;
using tour_test::run_program;

namespace {
const auto program = build_path("03_processes/message_cost");

// The bytes per message on the output line that starts (after its indent) with `way`: the
// number before " B", wherever the columns put it. std::nullopt when there is no such line.
std::optional<long> bytes_per_message(const std::string& out, const std::string& way) {
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        const auto at = line.find_first_not_of(' ');
        if (at == std::string::npos || line.compare(at, way.size(), way) != 0) continue;
        std::istringstream fields(line.substr(at + way.size()));
        long bytes = 0;
        std::string unit;
        if (fields >> bytes >> unit && unit == "B") return bytes;
        return std::nullopt;
    }
    return std::nullopt;
}
}  // namespace

TEST_CASE("message_cost: three ways, the chapter's record size, exit 0") {
    const auto run = run_program(program, {"--messages", "300"});
    CAPTURE(run.out);
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "A task down and a result back, 300 times each"));
    // 4 bytes of task index down, the chapter's Record back.
    CHECK(bytes_per_message(run.out, "processes, a pipe, the result as plain bytes") ==
          static_cast<long>(sizeof(std::uint32_t) + sizeof(processes::Record)));
    CHECK(bytes_per_message(run.out, "processes, a pipe, the result as JSON text") > 0);
    CHECK(bytes_per_message(run.out, "threads, a queue, the result moved") == 0);
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
