// Chapter 5: the 05_cpu_bound program and the Python script, as a user runs them.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "run_program.hpp"

using tour_test::contains;
using tour_test::run_program;
using tour_test::TempFile;

namespace {

const std::string program = CPU_BOUND_PROGRAM;

std::size_t count(const std::string& text, const std::string& piece) {
    std::size_t n = 0;
    for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + 1)) ++n;
    return n;
}

nlohmann::json read_json(const TempFile& file) { return nlohmann::json::parse(std::ifstream(file.path())); }

}  // namespace

TEST_CASE("every model, small work: the demo's lines, one checksum, exit 0") {
    TempFile json("", ".json");
    const auto run = run_program(program, {"--tasks", "6", "--size", "700", "--start", "1000000", "--workers", "3",
                                           "--oversubscribe", "9", "--json", json.path().string()});
    CAPTURE(run.out);
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    for (const char* model : {"Serial", "Processes", "Threads", "Event loop", "Thread pool", "Oversubscribed threads"}) {
        CAPTURE(model);
        CHECK(contains(run.out, std::string("Starting ") + model + " computation of 6 tasks...\n"));
        CHECK(contains(run.out, std::string(model) + " computation of 6 tasks - Duration: "));
    }
    CHECK(contains(run.out, "Every model matched the reference."));
    CHECK(!contains(run.out, "DIFFERS"));

    const auto doc = read_json(json);
    CHECK(doc["ok"] == true);
    const std::size_t models = doc["models"].size();
    CHECK(models >= 6);  // 7 when the build has std::execution::par
    CHECK(count(run.out, "(matches the reference)") == models);
    for (const auto& model : doc["models"]) {
        CAPTURE(model["model"]);
        CHECK(model["ok"] == true);
        CHECK(model["checksum"] == doc["reference"]["checksum"]);
        REQUIRE(model["tasks"].size() == 6);
        for (std::size_t i = 0; i < 6; ++i) CHECK(model["tasks"][i]["checksum"] == doc["reference"]["tasks"][i]["checksum"]);
    }
}

TEST_CASE("one model at a time, and --scaling") {
    for (const char* model : {"serial", "threads", "processes", "event-loop", "thread-pool", "oversubscribed"}) {
        CAPTURE(model);
        const auto run = run_program(program, {"--model", model, "--tasks", "3", "--size", "300"});
        CHECK(run.exit_code == 0);
        CHECK(count(run.out, "computation of 3 tasks - Duration: ") == 1);
        CHECK(contains(run.out, "(matches the reference)"));
    }
    const auto scaling = run_program(program, {"--scaling", "--tasks", "2", "--size", "400"});
    CAPTURE(scaling.out);
    CHECK(scaling.exit_code == 0);
    CHECK(contains(scaling.out, "Linear scaling"));
    CHECK(count(scaling.out, " ns per number") == 3);
    CHECK(!contains(scaling.out, "DIFFERS"));
}

TEST_CASE("--model par runs when the build has TBB, and is refused with exit 2 when not") {
    const auto run = run_program(program, {"--model", "par", "--tasks", "3", "--size", "300"});
    if (run.exit_code == 2) {
        CHECK(contains(run.err, "libtbb-dev"));
        CHECK(run.out.empty());
    } else {
        CHECK(run.exit_code == 0);
        CHECK(contains(run.out, "Parallel algorithm computation of 3 tasks - Duration: "));
    }
}

TEST_CASE("bad arguments: a clear message and exit status 2") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    for (const Case& c : std::vector<Case>{
             {{"--tasks", "0"}, "--tasks"},
             {{"--tasks", "-3"}, "--tasks"},
             {{"--size", "0"}, "--size"},
             {{"--size", "ten"}, "--size"},
             {{"--workers", "0"}, "--workers"},
             {{"--workers", "-1"}, "--workers"},
             {{"--oversubscribe", "0"}, "--oversubscribe"},
             {{"--model", "gil"}, "--model"},
             {{"--start", "-1"}, "--start"},
             {{"--start", "9999999999999", "--size", "1000"}, "10^13"},
             {{"--no-such-option"}, "no-such-option"},
         }) {
        CAPTURE(c.args);
        const auto run = run_program(program, c.args);
        CAPTURE(run.err);
        CHECK(run.exit_code == 2);
        CHECK(contains(run.err, c.message));
        CHECK(contains(run.err, "--help"));
        CHECK(run.out.empty());
    }
}

TEST_CASE("--help explains, --version names the program") {
    const auto help = run_program(program, {"--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "CPU-bound"));
    CHECK(contains(help.out, "--model"));
    CHECK(contains(help.out, "cpu_bound.py"));
    const auto version = run_program(program, {"--version"});
    CHECK(version.exit_code == 0);
    CHECK(contains(version.out, "05_cpu_bound"));
}

TEST_CASE("the Python script computes the same checksums (skipped without python3)") {
    const std::string python = PYTHON3;
    if (python.empty()) {
        tour_test::skip_test("python3 not found at configure time");
        return;
    }
    TempFile cpp_json("", ".json");
    TempFile py_json("", ".json");
    const std::vector<std::string> work = {"--tasks", "4", "--size", "300", "--start", "1000000", "--workers", "2"};
    auto cpp_args = work;
    cpp_args.insert(cpp_args.end(), {"--model", "serial", "--json", cpp_json.path().string()});
    auto py_args = std::vector<std::string>{CPU_BOUND_PY};
    py_args.insert(py_args.end(), work.begin(), work.end());
    py_args.insert(py_args.end(), {"--json", py_json.path().string()});  // all three Python models

    const auto cpp = run_program(program, cpp_args);
    const auto py = run_program(python, py_args);
    CAPTURE(py.out);
    CAPTURE(py.err);
    REQUIRE(cpp.exit_code == 0);
    REQUIRE(py.exit_code == 0);
    const auto c = read_json(cpp_json);
    const auto p = read_json(py_json);
    REQUIRE(p["models"].size() == 3);
    for (const auto& model : p["models"]) {
        CAPTURE(model["model"]);
        CHECK(model["checksum"] == c["reference"]["checksum"]);
        for (std::size_t i = 0; i < 4; ++i) {
            CHECK(model["tasks"][i]["primes"] == c["reference"]["tasks"][i]["primes"]);
            CHECK(model["tasks"][i]["checksum"] == c["reference"]["tasks"][i]["checksum"]);
        }
    }
    CHECK(contains(py.out, "Starting Threads computation of 4 tasks..."));

    const auto bad = run_program(python, {CPU_BOUND_PY, "--tasks", "0"});
    CHECK(bad.exit_code == 2);
    CHECK(contains(bad.err, "--tasks"));
}
