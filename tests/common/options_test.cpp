#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "common/options.hpp"

namespace {

struct Parsed {
    std::optional<int> exit_now;  // what parse_command_line returned
    tour::Options options;
    int workers = 10;
    std::string out, err;
};

// Parse `args` as a chapter's main does: the shared options plus --workers (`minimum` 0 or 1).
// CLI11 prints on std::cout/std::cerr, so both are captured for the call.
Parsed parse(std::vector<std::string> args, int minimum = 1) {
    args.insert(args.begin(), "prog");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    Parsed p;
    CLI::App app{"a test program", "prog"};
    tour::add_download_options(app, p.options);
    tour::add_workers_option(app, p.workers, "workers", minimum);
    std::ostringstream out, err;
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    p.exit_now = tour::parse_command_line(app, static_cast<int>(argv.size()), argv.data());
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    p.out = out.str();
    p.err = err.str();
    return p;
}

}  // namespace

TEST_CASE("defaults: the simulator with 80 sites, 150 ms, seed 1, the program's workers") {
    const auto p = parse({});
    REQUIRE_FALSE(p.exit_now);
    const auto& o = p.options;
    CHECK_FALSE(o.urls_file);
    CHECK(o.sites == 80);
    CHECK(o.latency_ms == 150);
    CHECK(o.seed == 1);
    CHECK(o.repeat == 1);
    CHECK(p.workers == 10);
    CHECK(o.fetch_options().total_timeout == std::chrono::seconds(30));
}

TEST_CASE("values are parsed") {
    const auto p = parse({"--sites", "12", "--latency-ms", "5", "--seed", "7", "--repeat", "3", "--workers", "4",
                          "--timeout", "1.5", "--json", "out.json"});
    REQUIRE_FALSE(p.exit_now);
    const auto& o = p.options;
    CHECK(o.sites == 12);
    CHECK(o.repeat == 3);
    CHECK(p.workers == 4);
    CHECK(o.fetch_options().total_timeout == std::chrono::milliseconds(1500));
    CHECK(o.fetch_options().connect_timeout <= o.fetch_options().total_timeout);
    CHECK(*o.json_file == "out.json");
}

TEST_CASE("bad usage exits with status 2 and says what is wrong, with one hint") {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--bogus"}, {"--workers", "0"}, {"--workers", "-3"}, {"--workers", "many"}, {"--timeout", "0"},
             {"--timeout", "-1"}, {"--sites", "0"}, {"--repeat", "0"}, {"--urls", "f.txt", "--sites", "5"},
             {"--latency-ms", "-5"}, {"stray"}, {"--workers", ""}, {"--latency-ms", ""}, {"--seed", ""},
             {"--timeout", ""}, {"--timeout", "nan"}, {"--timeout", "NaN"}, {"--timeout", "-nan"},
             {"--timeout", "inf"}, {"--timeout", "-inf"}, {"--timeout", "infinity"}, {"--timeout", "1e999"},
             {"--seed", "-1"}, {"--seed", "99999999999999999999"}, {"--seed", "18446744073709551616"},
             {"--seed", "1.5"}, {"--seed", "+3"}, {"--seed", " 3"}, {"--seed", "0x10"}}) {
        CAPTURE(args);
        const auto p = parse(args);
        CHECK(p.exit_now == 2);
        CHECK_FALSE(p.err.empty());
        CHECK(p.err.find("--help") != std::string::npos);
        CHECK(p.err.find("--help") == p.err.rfind("--help"));  // one hint, not two
    }
}

TEST_CASE("--workers: 0 means one per URL where the program allows it, and is refused where it does not") {
    const auto zero = parse({"--workers", "0"}, 0);
    REQUIRE_FALSE(zero.exit_now);
    CHECK(zero.workers == 0);
    CHECK(parse({"--workers", "-1"}, 0).exit_now == 2);
    CHECK(parse({"--workers", "0"}, 1).exit_now == 2);
    // CLI11 would read "" as 0, which here would silently mean "one per URL".
    const auto empty = parse({"--workers", ""}, 0);
    CHECK(empty.exit_now == 2);
    CHECK(empty.err.find("empty") != std::string::npos);
}

TEST_CASE("--help and --version print to stdout and exit 0") {
    const auto help = parse({"--help"});
    CHECK(help.exit_now == 0);
    for (const char* option : {"--urls", "--sites", "--latency-ms", "--seed", "--repeat", "--workers", "--timeout",
                               "--cacert", "--json", "Exit status"}) {
        CAPTURE(option);
        CHECK(help.out.find(option) != std::string::npos);
    }
    const auto version = parse({"--version"});
    CHECK(version.exit_now == 0);
    CHECK(version.out.find("prog (the C++ concurrency tour) 0.1.0") != std::string::npos);
}

TEST_CASE("NaN and infinity are not numbers a program can wait for: refused with a reason") {
    for (const char* value : {"nan", "NaN", "-nan", "inf", "-Infinity", "1e999"}) {
        CAPTURE(value);
        const auto p = parse({"--timeout", value});
        CHECK(p.exit_now == 2);
        CHECK(p.err.find("--timeout: needs a finite number, got '" + std::string(value) + "'") != std::string::npos);
    }
}

TEST_CASE("a bad value is quoted printable: an ESC typed into an option does not reach the terminal") {
    const auto p = parse({"--timeout", "1\x1b[2J"});
    CHECK(p.exit_now == 2);
    CHECK(p.err.find("got '1\\x1b[2J'") != std::string::npos);
}

TEST_CASE("--seed takes 0 .. 2^64-1 exactly, and says so: nothing wraps") {
    const auto top = parse({"--seed", "18446744073709551615"});
    REQUIRE_FALSE(top.exit_now);
    CHECK(top.options.seed == 18446744073709551615ull);
    const auto zero = parse({"--seed", "0"});
    REQUIRE_FALSE(zero.exit_now);
    CHECK(zero.options.seed == 0);
    const auto negative = parse({"--seed", "-1"});
    CHECK(negative.exit_now == 2);
    CHECK(negative.err.find("0 to 18446744073709551615") != std::string::npos);
    CHECK(parse({"--help"}).out.find("0 to 18446744073709551615") != std::string::npos);
}

TEST_CASE("input and output paths are checked before any work, with the system's reason") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    for (const Case& c : std::vector<Case>{
             {{"--json", "/proc/x/y"}, "--json: /proc/x/y: cannot be written (No such file or directory)"},
             {{"--json", "/nonexistent-dir/out.json"}, "cannot be written (No such file or directory)"},
             {{"--json", "/"}, "--json: /: is a directory"},
             {{"--json", ""}, "--json"},
             {{"--urls", "/nonexistent/list"}, "--urls: /nonexistent/list: cannot be read (No such file or directory)"},
             {{"--urls", "/"}, "--urls: /: is a directory"},
             {{"--cacert", "/nonexistent.pem"}, "--cacert: /nonexistent.pem: cannot be read (No such file or directory)"},
             {{"--cacert", "/"}, "--cacert: /: is a directory"},
         }) {
        CAPTURE(c.args);
        const auto p = parse(c.args);
        CAPTURE(p.err);
        CHECK(p.exit_now == 2);
        CHECK(p.err.find(c.message) != std::string::npos);
    }
    // A writable place is accepted, and checking it leaves nothing behind.
    const auto dir = std::filesystem::temp_directory_path() / ("tour-options-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto ok = parse({"--json", (dir / "out.json").string(), "--cacert", "/dev/null"});
    CHECK_FALSE(ok.exit_now);
    CHECK(std::filesystem::is_empty(dir));
    std::filesystem::remove_all(dir);
}

TEST_CASE("--help states the limits on the list") {
    const auto help = parse({"--help"});
    for (const char* limit : {"1,000,000 URLs", "64 KiB", "64 MiB"}) {
        CAPTURE(limit);
        CHECK(help.out.find(limit) != std::string::npos);
    }
}

TEST_CASE("--deadline: a positive finite number of seconds, and --fail-fast: a flag") {
    const auto none = parse({});
    REQUIRE_FALSE(none.exit_now);
    CHECK_FALSE(none.options.deadline());
    CHECK_FALSE(none.options.fail_fast);

    const auto p = parse({"--deadline", "1.5", "--fail-fast"});
    REQUIRE_FALSE(p.exit_now);
    REQUIRE(p.options.deadline());
    CHECK(*p.options.deadline() == std::chrono::milliseconds(1500));
    CHECK(p.options.fail_fast);

    for (const std::string bad : {"nan", "-1", "0", "", "inf", "1e999", "soon"}) {
        CAPTURE(bad);
        const auto r = parse({"--deadline", bad});
        CHECK(r.exit_now == 2);
        CHECK(r.err.find("--deadline") != std::string::npos);
    }
}
