// The 04_asio program as a user runs it.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "run_program.hpp"
#include "simulator/site_model.hpp"

using tour_test::build_path;
using tour_test::contains;
using tour_test::run_program;

namespace {
const auto asio_program = build_path("04_asio/04_asio");
}  // namespace

TEST_CASE("04_asio prints the demo's lines, fetches every page and exits 0") {
    tour_test::TempFile json("", ".json");
    const auto run = run_program(asio_program, {"--sites", "40", "--latency-ms", "5", "--json", json.path().string()});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "Starting Event loop download of 40 sites...\n"));
    CHECK(contains(run.out, "Event loop download of 40 sites - Duration: "));
    CHECK(contains(run.out, "40 ok, 0 failed, "));
    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    CHECK(doc["ok"] == 40);
    CHECK(doc["bytes"] == tour_test::expected_bytes(1, 5, 40));
}

TEST_CASE("a low open-file limit caps the requests in flight, with a message, and every page still arrives") {
    // ulimit -n sets the soft AND the hard limit, so the program cannot raise it back.
    constexpr std::size_t limit = 160;
    const std::string command =
        "ulimit -n " + std::to_string(limit) + " && exec '" + asio_program.string() + "' --sites 300 --latency-ms 5";
    const auto run = run_program("/bin/sh", {"-c", command});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    // The room: the limit less the descriptors open (a few) and 16 kept for the program's other files.
    const auto at = run.err.find("capping requests in flight at ");
    REQUIRE(at != std::string::npos);
    const std::size_t budget = std::stoul(run.err.substr(at + 30));
    CHECK(budget <= limit - 16 - 3);  // stdin, stdout, stderr at least
    CHECK(budget >= limit - 16 - 20);
    CHECK(contains(run.err, "the open-file limit (" + std::to_string(limit) + ") leaves room for " + std::to_string(budget)));
    CHECK(contains(run.out, "300 ok, 0 failed"));
}

TEST_CASE("--workers: 0 or more, a negative value is bad usage") {
    CHECK(run_program(asio_program, {"--sites", "5", "--latency-ms", "1", "--workers", "2"}).exit_code == 0);
    CHECK(run_program(asio_program, {"--sites", "5", "--latency-ms", "1", "--workers", "0"}).exit_code == 0);
    const auto bad = run_program(asio_program, {"--workers", "-1"});
    CHECK(bad.exit_code == 2);
    CHECK(contains(bad.err, "--workers"));
    const auto help = run_program(asio_program, {"--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "ONE thread"));
}
