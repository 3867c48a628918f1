// The second round of hostile tests: each case failed before its fix.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <thread>

#include <csignal>
#include <cstdlib>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/posix.hpp"
#include "hostile_server.hpp"
#include "programs.hpp"
#include "run_program.hpp"

using hardening::download_programs;
using hardening::program;
using tour_test::build_path;
using tour_test::contains;
using tour_test::run_program;
using tour_test::TempFile;
using namespace std::chrono_literals;

namespace {

// Run `name` on the URLs; return each URL's JSON record.
std::map<std::string, nlohmann::json> results_of(const std::string& name, const std::vector<std::string>& urls,
                                                 tour_test::ProgramRun& run) {
    std::string text;
    for (const auto& u : urls) text += u + "\n";
    TempFile list(text);
    TempFile json("", ".json");
    run = run_program(program(name), {"--urls", list.path().string(), "--json", json.path().string(), "--timeout", "20"}, 120s);
    std::map<std::string, nlohmann::json> by_url;
    std::ifstream in(json.path());
    if (!in) return by_url;
    const auto document = nlohmann::json::parse(in);
    for (const auto& r : document["results"]) by_url[r["url"].get<std::string>()] = r;
    return by_url;
}

}  // namespace

TEST_CASE("a response cut inside its headers is a failure, not ok with 0 bytes") {
    tour_test::HostileServer server;
    const std::vector<std::string> urls = {server.url("/headers_cut"), server.url("/status_only"), server.url("/fine")};
    for (const auto& name : download_programs) {
        CAPTURE(name);
        tour_test::ProgramRun run;
        auto results = results_of(name, urls, run);
        CAPTURE(run.out);
        CAPTURE(run.err);
        CHECK_FALSE(run.timed_out);
        CHECK(run.exit_code == 1);
        REQUIRE(results.size() == 3);
        for (const char* cut : {"/headers_cut", "/status_only"}) {
            CAPTURE(cut);
            CHECK(results[server.url(cut)]["ok"] == false);
            CHECK(contains(results[server.url(cut)]["error"].get<std::string>(), "the response ended inside its headers"));
        }
        CHECK(results[server.url("/fine")]["ok"] == true);
        CHECK(results[server.url("/fine")]["bytes"] == 5);
    }
}

TEST_CASE("a gzip body whose deflate stream never ends is a failure, however it is framed") {
    tour_test::HostileServer server;
    std::vector<std::string> urls;
    for (const char* framing : {"length", "chunked", "close"}) {
        for (const char* kind : {"whole", "cut", "badcrc"}) urls.push_back(server.url(std::string("/gzip_") + kind + "_" + framing));
    }
    for (const auto& name : download_programs) {
        CAPTURE(name);
        tour_test::ProgramRun run;
        auto results = results_of(name, urls, run);
        CAPTURE(run.out);
        CAPTURE(run.err);
        CHECK_FALSE(run.timed_out);
        CHECK(run.exit_code == 1);
        REQUIRE(results.size() == urls.size());
        for (const char* framing : {"length", "chunked", "close"}) {
            CAPTURE(framing);
            const auto whole = results[server.url(std::string("/gzip_whole_") + framing)];
            CHECK(whole["ok"] == true);
            CHECK(whole["bytes"] == 5000);  // decoded bytes, as before
            const auto cut = results[server.url(std::string("/gzip_cut_") + framing)];
            CHECK(cut["ok"] == false);
            CHECK(contains(cut["error"].get<std::string>(), "ended before its compressed stream did"));
            CHECK(results[server.url(std::string("/gzip_badcrc_") + framing)]["ok"] == false);
        }
    }
}

namespace {

// Each URL's (bytes, body hash) from a run's --json: what the simulator's seed decides.
std::vector<std::pair<std::uint64_t, std::uint64_t>> bodies(const std::string& name, std::vector<std::string> args) {
    TempFile json("", ".json");
    args.insert(args.end(), {"--json", json.path().string()});
    const auto run = run_program(program(name), args, 120s);
    CAPTURE(run.err);
    REQUIRE(run.exit_code == 0);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    const auto document = nlohmann::json::parse(std::ifstream(json.path()));
    for (const auto& r : document["results"]) out.emplace_back(r["bytes"].get<std::uint64_t>(), r["body_hash"].get<std::uint64_t>());
    return out;
}

}  // namespace

TEST_CASE("numbers are decimal: 010 is ten (not octal eight), 0x10 is refused") {
    for (const auto& name : download_programs) {
        CAPTURE(name);
        auto run = run_program(program(name), {"--sites", "010", "--latency-ms", "0"}, 120s);
        CHECK(run.exit_code == 0);
        CHECK(contains(run.out, "download of 10 sites"));
        // The simulator's seed and latency reach it in decimal: the same pages as with 10 and 5.
        CHECK(bodies(name, {"--sites", "4", "--seed", "010", "--latency-ms", "05"}) ==
              bodies(name, {"--sites", "4", "--seed", "10", "--latency-ms", "5"}));
        for (const auto& bad : std::vector<std::vector<std::string>>{
                 {"--sites", "0x10"}, {"--latency-ms", "0x10"}, {"--timeout", "0x10"}, {"--repeat", "1e"}}) {
            CAPTURE(bad);
            run = run_program(program(name), bad, 30s);
            CHECK(run.exit_code == 2);
            CHECK(contains(run.err, "needs a decimal number, got '"));
        }
        run = run_program(program(name), {"--seed", "0x10"}, 30s);
        CHECK(run.exit_code == 2);
        CHECK(contains(run.err, "--seed: needs a whole number from 0 to 18446744073709551615, got '0x10'"));
        if (name != "01_serial") {
            TempFile json("", ".json");
            run = run_program(program(name), {"--sites", "12", "--latency-ms", "0", "--workers", "010", "--json", json.path().string()}, 120s);
            CHECK(run.exit_code == 0);
            CHECK(nlohmann::json::parse(std::ifstream(json.path()))["workers"] == 10);
        }
    }
    // sitesim itself says what it was given in its first line.
    tour_test::ProgramRun sim;
    const auto first_line = [&](pid_t pid) {  // once it listens (it prints the line first), stop it
        const auto fds = "/proc/" + std::to_string(pid) + "/fd";
        for (int i = 0; i < 400; ++i) {
            std::this_thread::sleep_for(50ms);
            bool listening = false;
            std::error_code ec;
            for (const auto& fd : std::filesystem::directory_iterator(fds, ec)) {
                std::error_code link_ec;
                listening = listening || std::filesystem::read_symlink(fd.path(), link_ec).string().rfind("socket:", 0) == 0;
            }
            if (listening) break;
        }
        std::this_thread::sleep_for(500ms);
        ::kill(pid, SIGTERM);
    };
    sim = run_program(build_path("simulator/sitesim"), {"--seed", "010", "--latency-ms", "0100", "--max-connections", "010"}, 60s, first_line);
    CHECK(contains(sim.out, "(seed 10, mean latency 100 ms)"));
    sim = run_program(build_path("simulator/sitesim"), {"--seed", "0x10"}, 30s);
    CHECK(sim.exit_code == 2);
    CHECK(contains(sim.err, "--seed: needs a whole number from 0 to 18446744073709551615, got '0x10'"));
}

TEST_CASE("a URL libcurl cannot parse is bad input (file:line, exit 2), not a fetch-time curl error 3") {
    for (const std::string url : {"http://[::1", "http://127.0.0.1:99999/a", "http://127.0.0.1:-1/a", "http://user@:8080/a"}) {
        TempFile list("# one bad line\n" + url + "\n");
        for (const auto& name : download_programs) {
            CAPTURE(name);
            CAPTURE(url);
            const auto run = run_program(program(name), {"--urls", list.path().string()}, 60s);
            CHECK(run.exit_code == 2);
            CHECK(contains(run.err, list.path().string() + ":2: "));
            CHECK_FALSE(contains(run.err, "curl error 3"));
            CHECK_FALSE(contains(run.out, "Starting"));
        }
    }
}

namespace {

// A scratch directory, removed with everything in it.
struct ScratchDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("tour-round2-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    ScratchDir() { std::filesystem::create_directories(path); }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

std::string contents(const std::filesystem::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("an output that is the run's input (or another output) is refused before the run") {
    ScratchDir dir;
    const auto list = dir.path / "list.txt";
    std::ofstream(list) << "http://127.0.0.1:9/a\n";
    std::filesystem::create_symlink(list, dir.path / "link.json");
    for (const auto& name : download_programs) {
        for (const auto& output : {list, dir.path / "link.json", dir.path / "." / "list.txt"}) {
            CAPTURE(name);
            CAPTURE(output);
            const auto run = run_program(program(name), {"--urls", list.string(), "--json", output.string()}, 30s);
            CHECK(run.exit_code == 2);
            CHECK(contains(run.err, " is also --urls"));
            CHECK_FALSE(contains(run.out, "Starting"));
            CHECK(contents(list) == "http://127.0.0.1:9/a\n");
        }
    }
    const auto same = (dir.path / "x").string();
    const auto run = run_program(program("compare"), {"--json", same, "--timeline", same}, 30s);
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, " is also --"));
    CHECK_FALSE(std::filesystem::exists(same));
}

TEST_CASE("--json through a symbolic link writes the file it points to, and a dangling link's target is created") {
    ScratchDir dir;
    std::ofstream(dir.path / "old.json") << "old\n";
    std::filesystem::create_symlink("old.json", dir.path / "link.json");                  // relative target
    std::filesystem::create_symlink(dir.path / "new.json", dir.path / "dangling.json");   // not there yet
    for (const auto& name : download_programs) {
        CAPTURE(name);
        for (const char* link : {"link.json", "dangling.json"}) {
            CAPTURE(link);
            const auto run = run_program(program(name), {"--sites", "2", "--latency-ms", "0", "--json", (dir.path / link).string()}, 120s);
            CHECK(run.exit_code == 0);
            CHECK(std::filesystem::is_symlink(dir.path / link));  // still a link
        }
        CHECK(nlohmann::json::parse(contents(dir.path / "old.json"))["sites"] == 2);
        CHECK(nlohmann::json::parse(contents(dir.path / "new.json"))["sites"] == 2);
        std::filesystem::remove(dir.path / "new.json");
    }
}

TEST_CASE("--json to a FIFO with a reader waiting: the reader gets the whole report, nothing hangs") {
    ScratchDir dir;
    const auto fifo = dir.path / "report.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    for (const auto& name : download_programs) {
        CAPTURE(name);
        std::string received;
        std::thread reader([&] {  // like `cat report.fifo` started first
            const int fd = ::open(fifo.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) return;
            char buffer[4096];
            for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) received.append(buffer, static_cast<std::size_t>(n));
            ::close(fd);
        });
        const auto run = run_program(program(name), {"--sites", "2", "--latency-ms", "0", "--json", fifo.string()}, 60s);
        // Whatever happened, release the reader if it still waits for a writer.
        if (const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC); fd >= 0) ::close(fd);
        reader.join();
        CHECK_FALSE(run.timed_out);
        CHECK(run.exit_code == 0);
        REQUIRE_FALSE(received.empty());
        CHECK(nlohmann::json::parse(received)["sites"] == 2);
    }
}

TEST_CASE("a --json name of 250 bytes (the limit is 255) is written, not refused as too long") {
    ScratchDir dir;
    const auto output = dir.path / (std::string(245, 'r') + ".json");
    for (const auto& name : download_programs) {
        CAPTURE(name);
        const auto run = run_program(program(name), {"--sites", "2", "--latency-ms", "0", "--json", output.string()}, 120s);
        CAPTURE(run.err);
        CHECK(run.exit_code == 0);
        CHECK(nlohmann::json::parse(contents(output))["sites"] == 2);
        std::filesystem::remove(output);
    }
}

TEST_CASE("05_cpu_bound checks --json before running any model") {
    const auto run = run_program(program("05_cpu_bound"), {"--json", "/proc/x/y"}, 60s);
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, "--json: /proc/x/y: cannot be written (No such file or directory)"));
    CHECK(run.out.empty());  // no model ran
}

TEST_CASE("--urls naming a FIFO nobody writes to ends with exit 2 and a message, not a hang") {
    ScratchDir dir;
    const auto fifo = dir.path / "urls.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto all = download_programs;
    all.push_back("compare");
    for (const auto& name : all) {
        CAPTURE(name);
        const auto run = run_program(program(name), {"--urls", fifo.string()}, 90s);
        CHECK_FALSE(run.timed_out);
        CHECK(run.exit_code == 2);
        CHECK(contains(run.err, "a FIFO that nothing wrote to in 10 s"));
    }
}

namespace {

// Busy loops on every core, started here and stopped by their PIDs.
struct BusyLoops {
    std::vector<pid_t> pids;
    explicit BusyLoops(unsigned count) {
        for (unsigned i = 0; i < count; ++i) pids.push_back(tour::spawn({"/bin/sh", "-c", "while :; do :; done"}));
    }
    ~BusyLoops() {
        for (const pid_t pid : pids) {
            ::kill(pid, SIGKILL);
            tour::reap(pid);
        }
    }
};

}  // namespace

TEST_CASE("busy machine: a benchmark beside busy loops says other programs took the CPU, in the report and in --json") {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const BusyLoops loops(2 * cores);
    TempFile json("", ".json");
    auto run = run_program(program("05_cpu_bound"), {"--model", "threads", "--tasks", "4", "--size", "300000", "--json", json.path().string()}, 240s);
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "% of the CPU during this run"));
    CHECK(contains(run.out, "speed-ups are understated; rerun on a quiet machine"));
    const auto share = nlohmann::json::parse(std::ifstream(json.path()))["cpu_share"];
    CHECK(share["cores"] == cores);
    CHECK(share["others_share"].get<double>() >= 0.10);  // 2 loops per core: at least half of it is theirs
    CHECK(share["own_cpu_s"].get<double>() > 0);
    CHECK(contains(share["notice"].get<std::string>(), "rerun on a quiet machine"));

    for (const auto& [name, args] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"02_threads/counter_bench", {"2", "20000000"}},
             {"05_cpu_bound/05_cpu_bound", {"--false-sharing", "--workers", "2"}},
             {"02_threads/thread_cost", {"2000"}},
             {"03_processes/fork_cost", {"40", "--parent-mib", "16", "--touch-mib", "1"}},
             {"03_processes/message_cost", {"--messages", "20000"}}}) {
        CAPTURE(name);
        run = run_program(build_path(name), args, 240s);
        CHECK(run.exit_code == 0);
        CHECK(contains(run.out, "speed-ups are understated; rerun on a quiet machine"));
    }
    TempFile compare_json("", ".json");
    run = run_program(program("compare"), {"--only", "serial,threads", "--sites", "20", "--latency-ms", "300", "--json", compare_json.path().string()}, 240s);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "rerun on a quiet machine"));
    CHECK(nlohmann::json::parse(std::ifstream(compare_json.path()))["cpu_share"]["others_share"].get<double>() >= 0.10);
}

TEST_CASE("compare with one model killed: that row fails with the reason, the others run, no speed-up for it") {
    TempFile json("", ".json");
    std::atomic<bool> killed{false};
    const auto kill_threads = [&](pid_t compare_pid) {
        for (int i = 0; i < 2400 && !killed; ++i) {  // 120 s at most
            std::vector<pid_t> below = {compare_pid};
            for (std::size_t at = 0; at < below.size() && !killed; ++at) {
                for (const auto& [child, comm] : tour_test::children_of(below[at])) {
                    if (comm == "02_threads") killed = ::kill(child, SIGKILL) == 0;
                    below.push_back(child);
                }
            }
            std::this_thread::sleep_for(50ms);
        }
    };
    const auto run = run_program(program("compare"), {"--only", "serial,threads,event-loop", "--sites", "10", "--latency-ms", "1500",
                                                      "--json", json.path().string()}, 240s, kill_threads);
    CAPTURE(run.err);
    REQUIRE(killed);
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "compare: Threads: 02_threads was killed by SIGKILL"));
    CHECK(contains(run.out, "model       workers"));  // the table
    const auto runs = nlohmann::json::parse(std::ifstream(json.path()))["runs"];
    REQUIRE(runs.size() == 3);
    CHECK(runs[0]["ok"] == 10);
    CHECK(runs[1]["ok"] == 0);
    CHECK(runs[1]["failed"] == 10);
    CHECK(runs[1]["speedup"].is_null());
    CHECK(runs[2]["ok"] == 10);  // the model after the killed one still ran
    CHECK_FALSE(runs[2]["speedup"].is_null());
}

TEST_CASE("compare prints no speed-up for a run that failed pages") {
    TempFile list("http://127.0.0.1:9/nothing-listens-here\n");
    TempFile json("", ".json");
    const auto run = run_program(program("compare"), {"--urls", list.path().string(), "--only", "serial,threads", "--json", json.path().string()}, 120s);
    CHECK(run.exit_code == 1);
    const auto runs = nlohmann::json::parse(std::ifstream(json.path()))["runs"];
    REQUIRE(runs.size() == 2);
    CHECK(runs[1]["failed"] == 1);
    CHECK(runs[1]["speedup"].is_null());
}
