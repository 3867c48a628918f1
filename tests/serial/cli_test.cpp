// The 01_serial program as a user runs it: output, exit status, and bad input.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "simulator/sitesim_process.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"

using tour_test::build_path;
using tour_test::contains;
using tour_test::run_program;
using tour_test::TempFile;

namespace {
const auto serial_program = build_path("01_serial/01_serial");

}  // namespace

TEST_CASE("a default-shaped run against the embedded simulator prints the demo's lines and exits 0") {
    TempFile json("", ".json");
    const auto run = run_program(serial_program, {"--sites", "16", "--latency-ms", "3", "--json", json.path().string()});
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "Starting Serial download of 16 sites...\n"));
    CHECK(contains(run.out, "Serial download of 16 sites - Duration: "));
    CHECK(contains(run.out, "16 ok, 0 failed, "));

    const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
    CHECK(doc["model"] == "Serial");
    CHECK(doc["ok"] == 16);
    REQUIRE(doc["results"].size() == 16);
    CHECK(doc["bytes"] == tour_test::expected_bytes(1, 3, 16));
}

TEST_CASE("--repeat uses the list again, like the demo's sites * 10") {
    const auto run = run_program(serial_program, {"--sites", "3", "--latency-ms", "1", "--repeat", "4"});
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "Starting Serial download of 12 sites..."));
    CHECK(contains(run.out, "12 ok, 0 failed"));
}

TEST_CASE("faults: each failure is listed with its reason, the rest succeed, exit status 1") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(1, 2);
    const std::string base = sim.base_url();
    TempFile list(base + "/site/0\n" + base + "/site/1?fault=reset\n" + base + "/site/2?fault=stall\n" + base +
                  "/site/3?fault=slowbody\n" + base + "/site/4?fault=garbage\n" + base + "/site/5?fault=truncate\n" +
                  base + "/site/6?status=500\n" + base + "/site/7?fault=redirect&to=file%3A%2F%2F%2Fetc%2Fpasswd\n" +
                  base + "/site/8?fault=redirect\n" + base + "/site/9\n");
    const auto run = run_program(serial_program, {"--urls", list.path().string(), "--timeout", "1"});
    CAPTURE(run.out);
    CAPTURE(run.err);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.out, "3 ok, 7 failed"));
    CHECK(contains(run.err, "7 URLs failed:"));
    for (const char* fault : {"fault=reset: curl error", "fault=stall: curl error 28", "fault=slowbody: curl error 28",
                              "fault=garbage: curl error", "fault=truncate: curl error 18", "status=500: HTTP status 500",
                              "passwd: curl error 1"}) {
        CAPTURE(fault);
        CHECK(contains(run.err, fault));
    }
}

TEST_CASE("bad input: a clear message and exit status 2, never a crash") {
    TempFile empty("");
    TempFile malformed("http://ok.example/\nwww.example.org/no-scheme\n");
    TempFile ftp("ftp://example.org/file\n");
    TempFile file_scheme("# local files are not fetched\nfile:///etc/passwd\n");
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    for (const Case& c : std::vector<Case>{
             {{"--urls", "/nonexistent/list"}, "/nonexistent/list: cannot be read (No such file or directory)"},
             {{"--urls", empty.path().string()}, "no URLs"},
             {{"--urls", "/"}, "is a directory"},
             {{"--urls", "/proc/self/mem"}, "/proc/self/mem: read error"},  // opens, but cannot be read
             {{"--workers", ""}, "--workers"},
             {{"--urls", malformed.path().string()}, ":2: not a URL"},
             {{"--urls", ftp.path().string()}, ":1: unsupported scheme 'ftp://'"},
             {{"--urls", file_scheme.path().string()}, ":2: unsupported scheme 'file://'"},
             {{"--no-such-option"}, "--no-such-option"},
             {{"--workers", "0"}, "--workers"},
             {{"--workers", "-2"}, "--workers"},
             {{"--timeout", "0"}, "--timeout"},
         }) {
        CAPTURE(c.args);
        const auto run = run_program(serial_program, c.args);
        CAPTURE(run.err);
        CHECK(run.exit_code == 2);
        CHECK(run.signal == 0);
        CHECK(contains(run.err, c.message));
        CHECK_FALSE(contains(run.out, "Starting"));
    }
}

TEST_CASE("--help explains, --version names the program") {
    const auto help = run_program(serial_program, {"--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "one after another"));
    CHECK(contains(help.out, "--urls"));
    const auto version = run_program(serial_program, {"--version"});
    CHECK(version.exit_code == 0);
    CHECK(contains(version.out, "01_serial"));
}
