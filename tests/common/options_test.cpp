#include <doctest/doctest.h>

#include <sstream>

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
             {"--timeout", ""}}) {
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
