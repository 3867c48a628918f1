// The third round of hostile tests (sitesim's own checks, odd files and environments, compare
// passing the stop on to every model): each case failed before its fix.
#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "simulator/sitesim_process.hpp"
#include "programs.hpp"
#include "run_program.hpp"

using hardening::download_programs;
using hardening::program;
using tour_test::contains;
using tour_test::run_program;
using tour_test::TempFile;
using namespace std::chrono_literals;

namespace {

// TMPDIR set to `value` (nullopt: unset) while this object lives.
class TmpdirAs {
public:
    explicit TmpdirAs(const std::optional<std::string>& value) {
        if (const char* old = std::getenv("TMPDIR")) old_ = old;
        if (value) ::setenv("TMPDIR", value->c_str(), 1);
        else ::unsetenv("TMPDIR");
    }
    ~TmpdirAs() {
        if (old_) ::setenv("TMPDIR", old_->c_str(), 1);
        else ::unsetenv("TMPDIR");
    }
    TmpdirAs(const TmpdirAs&) = delete;
    TmpdirAs& operator=(const TmpdirAs&) = delete;

private:
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("sitesim alone: a --parent-pid that is not its parent is refused with a message, not a silent exit 143") {
    pid_t missing = 4'000'000;  // a pid no process has: pid_max is 4,194,304 at most
    while (missing > 2 && (::kill(missing, 0) == 0 || errno != ESRCH)) --missing;
    for (const auto& [pid, says] : std::vector<std::pair<std::string, std::string>>{
             {"1", "--parent-pid 1: not sitesim's parent (that is process " + std::to_string(::getpid()) + ")"},
             {std::to_string(missing), "--parent-pid " + std::to_string(missing) + ": no such process"}}) {
        CAPTURE(pid);
        const auto run = run_program(program("sitesim"), {"--parent-pid", pid}, 30s);
        CAPTURE(run.err);
        CHECK_FALSE(run.timed_out);
        CHECK(run.exit_code == 2);
        CHECK(contains(run.err, says));
        CHECK(run.out.empty());  // it never listened
    }
}

TEST_CASE("sitesim alone: numbers out of range are refused with short, plain ranges, and the seed neither wraps nor clamps") {
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    for (const auto& c : std::vector<Case>{
             {{"--max-connections", "0"}, "--max-connections: Value 0 not in range 1 to 1000000"},
             {{"--seed", "-1"}, "--seed: needs a whole number from 0 to 18446744073709551615, got '-1'"},
             {{"--seed", "18446744073709551616"}, "needs a whole number from 0 to 18446744073709551615"},
             {{"--port", "70000"}, "--port: Value 70000 not in range 0 to 65535"},
             {{"--parent-pid", "0"}, "--parent-pid: Value 0 not in range 1 to 4194304"},
             {{"--latency-ms", "nan"}, "--latency-ms: needs a finite number, got 'nan'"},
         }) {
        CAPTURE(c.args);
        const auto run = run_program(program("sitesim"), c.args, 30s);
        CAPTURE(run.err);
        CHECK(run.exit_code == 2);
        CHECK(contains(run.err, c.says));
        CHECK(run.err.size() < 300);  // CLI::PositiveNumber used to print a 300-digit range
        CHECK(run.out.empty());
    }
}

TEST_CASE("--version with a stray word is a usage error (exit 2), in every program") {
    for (const auto& name : {"01_serial", "02_threads", "03_processes", "04_asio", "05_cpu_bound", "compare", "sitesim"}) {
        CAPTURE(name);
        auto run = run_program(program(name), {"--version", "x"}, 30s);
        CHECK(run.exit_code == 2);
        CHECK(contains(run.err, "The following argument was not expected: x"));
        CHECK(run.out.empty());
        run = run_program(program(name), {"--version"}, 30s);  // alone, as before
        CHECK(run.exit_code == 0);
        CHECK(contains(run.out, "0."));
    }
}

TEST_CASE("compare's scratch directory: TMPDIR that cannot hold it says why (exit 2), and an empty TMPDIR means /tmp") {
    TempFile not_a_directory("x\n");
    for (const auto& [tmpdir, reason] : std::vector<std::pair<std::string, std::string>>{
             {"/nonexistent-tour-tmp", "No such file or directory"}, {not_a_directory.path().string(), "Not a directory"}}) {
        CAPTURE(tmpdir);
        const TmpdirAs set(tmpdir);
        const auto run = run_program(program("compare"), {"--only", "serial", "--sites", "2", "--latency-ms", "0"}, 60s);
        CAPTURE(run.err);
        CHECK(run.exit_code == 2);
        CHECK(contains(run.err, "compare: cannot make a scratch directory in " + tmpdir + " (TMPDIR): " + reason));
        CHECK_FALSE(contains(run.out, "Starting"));
    }
    for (const std::optional<std::string>& tmpdir : {std::optional<std::string>(""), std::optional<std::string>()}) {
        CAPTURE(tmpdir.has_value());
        const TmpdirAs set(tmpdir);
        const auto run = run_program(program("compare"), {"--only", "serial", "--sites", "2", "--latency-ms", "0"}, 120s);
        CAPTURE(run.err);
        CHECK(run.exit_code == 0);
        CHECK(contains(run.out, "Serial download of 2 sites"));
    }
}

TEST_CASE("compare: --sweep with no model that has workers, and an empty --only, are usage errors") {
    for (const auto& args : std::vector<std::vector<std::string>>{{"--sweep", "--only", "serial"}, {"--only", ""}, {"--only", ","}}) {
        CAPTURE(args);
        const auto run = run_program(program("compare"), args, 30s);
        CAPTURE(run.err);
        CHECK(run.exit_code == 2);
        CHECK_FALSE(contains(run.out, "Starting"));
        CHECK_FALSE(contains(run.out, "model       workers"));  // no empty table
    }
    CHECK(contains(run_program(program("compare"), {"--sweep", "--only", "serial"}, 30s).err, "--sweep: nothing to sweep"));
}

TEST_CASE("05_cpu_bound --scaling --false-sharing: refused (each replaces the models: one used to be dropped)") {
    const auto run = run_program(program("05_cpu_bound"), {"--scaling", "--false-sharing"}, 30s);
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, " excludes --"));  // CLI11 names them in either order
    CHECK(run.out.empty());
}

TEST_CASE("--urls naming a file that is not a URL list: file:line and what is wrong, never the file's contents") {
    // Like --urls /etc/shadow given by mistake (readable, as root is): its first line is a hash.
    TempFile shadow("root:$y$j9T$SALTSALT$SECRETHASH:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n");
    TempFile binary(std::string("\x7f" "ELF\x02\x01\x01\0\0\0" "SECRETBYTES\n", 22));
    auto all = download_programs;
    all.push_back("compare");
    for (const auto& name : all) {
        for (const auto& [file, says] : std::vector<std::pair<std::string, std::string>>{
                 {shadow.path().string(), ":1: not a URL (expected http://host/... or https://host/...)"},
                 {binary.path().string(), ":1: URL contains white space or a control character"}}) {
            CAPTURE(name);
            CAPTURE(file);
            const auto run = run_program(program(name), {"--urls", file}, 60s);
            CAPTURE(run.err);
            CHECK(run.exit_code == 2);
            CHECK(contains(run.err, file + says));
            CHECK_FALSE(contains(run.err, "SECRET"));
            CHECK_FALSE(contains(run.err, "$y$"));
            CHECK_FALSE(contains(run.err, "ELF"));
        }
    }
}

namespace {

// compare on `urls` with `extra` options; returns its --json.
nlohmann::json compare_json(const std::vector<std::string>& urls, const std::vector<std::string>& extra, tour_test::ProgramRun& run) {
    std::string text;
    for (const auto& u : urls) text += u + "\n";
    TempFile list(text);
    TempFile json("", ".json");
    std::vector<std::string> args = {"--urls", list.path().string(), "--only", "serial,threads", "--workers", "4",
                                     "--json", json.path().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    run = run_program(program("compare"), args, 180s);
    std::ifstream in(json.path());
    return in ? nlohmann::json::parse(in) : nlohmann::json();
}

}  // namespace

TEST_CASE("compare passes --deadline and --fail-fast to every model: each row counts what its model cancelled, and why") {
    tour_test::ensure_curl_global();
    tour::SiteSimulator sim(1, 0);
    std::vector<std::string> slow;  // 12 pages of 3 s: neither model can finish them in 1 s
    for (int i = 0; i < 12; ++i) slow.push_back(sim.base_url() + "/site/" + std::to_string(i) + "?delay_ms=3000");
    tour_test::ProgramRun run;
    auto doc = compare_json(slow, {"--deadline", "1"}, run);
    CAPTURE(run.out);
    CAPTURE(run.err);
    CHECK_FALSE(run.timed_out);
    CHECK(run.exit_code == 1);  // stopped by the deadline: not a crash, not a failure to run
    CHECK(contains(run.out, "cancelled  stopped by"));
    REQUIRE(doc["runs"].size() == 2);
    for (const auto& row : doc["runs"]) {
        CAPTURE(row["model"]);
        CHECK(row["stop_reason"] == "deadline");
        CHECK(row["cancelled"].get<int>() >= 1);
        CHECK(row["ok"].get<int>() + row["failed"].get<int>() + row["cancelled"].get<int>() == 12);
        CHECK(row["speedup"].is_null());  // a stopped run did less work
        CHECK(row["report"]["results"].size() == 12);
    }
    // --fail-fast: a reset first, then slow pages; each model stops at the reset.
    std::vector<std::string> reset_first = {sim.base_url() + "/site/100?fault=reset"};
    reset_first.insert(reset_first.end(), slow.begin(), slow.end());
    doc = compare_json(reset_first, {"--fail-fast"}, run);
    CAPTURE(run.err);
    CHECK(run.exit_code == 1);
    REQUIRE(doc["runs"].size() == 2);
    for (const auto& row : doc["runs"]) {
        CAPTURE(row["model"]);
        CHECK(row["stop_reason"] == "fail_fast");
        CHECK(row["failed"].get<int>() >= 1);
        CHECK(row["cancelled"].get<int>() >= 1);
        CHECK(row["ok"].get<int>() + row["failed"].get<int>() + row["cancelled"].get<int>() == 13);
    }
}

TEST_CASE("Ctrl-C at a terminal with the embedded simulator: the simulator outlives the graceful stop, so every URL is cancelled, none failed") {
    // A terminal's Ctrl-C reaches the whole foreground process group: the program, its workers
    // and the simulator it started. The simulator used to die of it at once, and the requests
    // in flight then failed ("Recv failure", "Couldn't connect") instead of being cancelled.
    for (const std::string& name : download_programs) {
        CAPTURE(name);
        TempFile json("", ".json");
        std::vector<std::string> args = {"--sites", "8", "--latency-ms", "3000", "--json", json.path().string()};
        if (name != "01_serial") args.insert(args.end(), {"--workers", "8"});
        const auto run = run_program(
            program(name), args, 60s,
            [](pid_t pid) {
                // Not before the program has taken SIGINT over (its stop watcher blocks it, or
                // chapter 4's signal_set catches it): until then Ctrl-C's default action ends it
                // with no report. That is after the simulator has started, so it is bounded.
                tour_test::poll_until([pid] { return tour_test::signal_handled(pid, SIGINT); },
                                      std::chrono::steady_clock::now() + 30s, 5ms);
                std::this_thread::sleep_for(1000ms);  // the requests in flight by then: pages take 3 s
                ::kill(-pid, SIGINT);
            },
            /*own_group=*/true);
        CAPTURE(run.err);
        CHECK_FALSE(run.timed_out);
        CHECK(run.signal == SIGINT);  // after its report, by the signal (the shell's 130)
        std::ifstream in(json.path());
        const auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
        REQUIRE(doc.is_object());
        CHECK(doc["stop_reason"] == "interrupted");
        CHECK(doc["failed"].get<int>() == 0);
        CHECK(doc["cancelled"].get<int>() + doc["ok"].get<int>() == 8);
    }
}
