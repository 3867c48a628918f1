#include <doctest/doctest.h>

#include <sstream>

#include "common/options.hpp"

namespace {

tour::ProgramInfo info(tour::WorkersRule rule) {
    return {.name = "prog", .model = "Test", .description = "a test program", .workers_rule = rule,
            .default_workers = 10, .workers_help = "workers"};
}

struct Parsed {
    tour::ParseResult result;
    std::string out, err;
};

Parsed parse(std::vector<std::string> args, tour::WorkersRule rule = tour::WorkersRule::positive) {
    args.insert(args.begin(), "prog");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    auto result = tour::parse_command_line(static_cast<int>(argv.size()), argv.data(), info(rule), out, err);
    return {std::move(result), out.str(), err.str()};
}

}  // namespace

TEST_CASE("defaults: the simulator with 80 sites, 150 ms, seed 1, the program's workers") {
    const auto p = parse({});
    REQUIRE(p.result.options);
    const auto& o = *p.result.options;
    CHECK_FALSE(o.urls_file);
    CHECK(o.sites == 80);
    CHECK(o.latency_ms == 150);
    CHECK(o.seed == 1);
    CHECK(o.repeat == 1);
    CHECK(o.workers == 10);
    CHECK(o.fetch_options().total_timeout == std::chrono::seconds(30));
}

TEST_CASE("values are parsed") {
    const auto p = parse({"--sites", "12", "--latency-ms", "5", "--seed", "7", "--repeat", "3", "--workers", "4",
                          "--timeout", "1.5", "--json", "out.json"});
    REQUIRE(p.result.options);
    const auto& o = *p.result.options;
    CHECK(o.sites == 12);
    CHECK(o.repeat == 3);
    CHECK(o.workers == 4);
    CHECK(o.fetch_options().total_timeout == std::chrono::milliseconds(1500));
    CHECK(o.fetch_options().connect_timeout <= o.fetch_options().total_timeout);
    CHECK(*o.json_file == "out.json");
}

TEST_CASE("bad usage exits with status 2 and says what is wrong") {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--bogus"}, {"--workers", "0"}, {"--workers", "-3"}, {"--workers", "many"}, {"--timeout", "0"},
             {"--timeout", "-1"}, {"--sites", "0"}, {"--repeat", "0"}, {"--urls", "f.txt", "--sites", "5"},
             {"--latency-ms", "-5"}, {"stray"}, {"--workers", ""}, {"--latency-ms", ""}, {"--seed", ""},
             {"--timeout", ""}}) {
        CAPTURE(args);
        const auto p = parse(args);
        CHECK_FALSE(p.result.options);
        CHECK(p.result.exit_code == 2);
        CHECK_FALSE(p.err.empty());
        CHECK(p.err.find("--help") != std::string::npos);
    }
}

TEST_CASE("the workers rule of each program") {
    CHECK(parse({"--workers", "0"}, tour::WorkersRule::zero_per_url).result.options->workers == 0);
    CHECK(parse({"--workers", "-1"}, tour::WorkersRule::zero_per_url).result.exit_code == 2);
    // CLI11 would read "" as 0, which here would silently mean "one per URL".
    const auto empty = parse({"--workers", ""}, tour::WorkersRule::zero_per_url);
    CHECK(empty.result.exit_code == 2);
    CHECK(empty.err.find("empty") != std::string::npos);
    CHECK(parse({"--workers", "1"}, tour::WorkersRule::none).result.options);
    const auto serial = parse({"--workers", "4"}, tour::WorkersRule::none);
    CHECK(serial.result.exit_code == 2);
    CHECK(serial.err.find("one request at a time") != std::string::npos);
}

TEST_CASE("--help and --version print to stdout and exit 0") {
    const auto help = parse({"--help"});
    CHECK_FALSE(help.result.options);
    CHECK(help.result.exit_code == 0);
    for (const char* option : {"--urls", "--sites", "--latency-ms", "--seed", "--repeat", "--workers", "--timeout",
                               "--cacert", "--json", "Exit status"}) {
        CAPTURE(option);
        CHECK(help.out.find(option) != std::string::npos);
    }
    const auto version = parse({"--version"});
    CHECK(version.result.exit_code == 0);
    CHECK(version.out.find("0.1.0") != std::string::npos);
}
