// The programs against a hostile user, a hostile server and signals: whatever the input, no
// hang, no orphan, no lost file. Each case runs every program it applies to.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "simulator/sitesim_process.hpp"
#include "hostile_server.hpp"
#include "programs.hpp"
#include "run_program.hpp"

using hardening::program;
using tour_test::contains;
using tour_test::poll_until;
using tour_test::run_program;
using tour_test::signal_blocked;
using tour_test::signal_pending;
using tour_test::TempFile;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string>& chapters = hardening::download_programs;

// A slow run: 20 pages of 1.5 to 4.5 s each, two workers where the program has workers.
std::vector<std::string> slow_run(const std::string& name) {
    std::vector<std::string> args = {"--sites", "20", "--latency-ms", "3000"};
    if (name != "01_serial") args.insert(args.end(), {"--workers", "2"});
    return args;
}

// A URL list on a running simulator.
struct ServedList {
    tour::SiteSimulator sim{1, 2};
    TempFile file;
    explicit ServedList(const std::vector<std::string>& paths) : file(lines(sim, paths)) {}
    static std::string lines(const tour::SiteSimulator& sim, const std::vector<std::string>& paths) {
        std::string text;
        for (const auto& p : paths) text += sim.base_url() + p + "\n";
        return text;
    }
};

// Every process below `root` (children, grandchildren, ...), with its command name.
std::vector<std::pair<pid_t, std::string>> descendants(pid_t root) {
    std::vector<std::pair<pid_t, std::string>> all;
    std::vector<pid_t> parents = {root};
    while (!parents.empty()) {
        const pid_t parent = parents.back();
        parents.pop_back();
        for (const auto& child : tour_test::children_of(parent)) {
            all.push_back(child);
            parents.push_back(child.first);
        }
    }
    return all;
}

bool has_socket(pid_t pid) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
        std::error_code link_ec;
        if (std::filesystem::read_symlink(entry.path(), link_ec).string().rfind("socket:", 0) == 0) return true;
    }
    return false;
}

// Has `pid` gone (reaped by whoever is its parent now)? Orphans come to this process, a child
// subreaper, so reap what is ours.
bool gone(pid_t pid) {
    ::waitpid(pid, nullptr, WNOHANG);
    return ::kill(pid, 0) != 0 && errno == ESRCH;
}

struct SignalOutcome {
    tour_test::ProgramRun run;
    std::set<pid_t> family;  // every descendant seen before the signal
    std::set<pid_t> left;    // ... and still there 5 s after the program ended
    double seconds_to_exit = 0;
    bool signalled = false;
};

// How many processes run below `name` once it is busy: sitesim, and for 03_processes its
// workers (--workers, or one per core); for compare the launcher, sitesim and the model.
std::size_t expected_family(const std::string& name, const std::vector<std::string>& args) {
    if (name == "compare") return 3;
    if (name != "03_processes") return 1;
    std::size_t workers = std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == "--workers") workers = std::stoul(args[i + 1]);
    }
    return 1 + workers;
}

// Run `name` with `args`; once a process called `busy` below it (or it itself) holds a socket
// (a request is in flight) and every expected process below it has started, send `sig` to the
// program's PID only. Then wait (5 s at most) for every process that was below it to be gone.
SignalOutcome interrupt(const std::string& name, const std::vector<std::string>& args, const std::string& busy, int sig) {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    SignalOutcome outcome;
    std::atomic<bool> signalled{false};
    std::chrono::steady_clock::time_point signalled_at;
    std::set<pid_t> family;
    const auto send_when_busy = [&](pid_t pid) {
        for (const auto deadline = std::chrono::steady_clock::now() + 60s; std::chrono::steady_clock::now() < deadline;) {
            auto below = descendants(pid);
            for (const auto& [child, comm] : below) family.insert(child);
            // Under load, worker 0 may be fetching before worker 1 is forked: wait for both.
            if (below.size() < expected_family(name, args)) {
                std::this_thread::sleep_for(5ms);
                continue;
            }
            below.emplace_back(pid, name);
            for (const auto& [p, comm] : below) {
                if (comm == busy && has_socket(p)) {
                    for (const auto& [child, c] : descendants(pid)) family.insert(child);
                    signalled_at = std::chrono::steady_clock::now();
                    ::kill(pid, sig);
                    signalled = true;
                    return;
                }
            }
            std::this_thread::sleep_for(5ms);
        }
    };
    outcome.run = run_program(program(name), args, 90s, send_when_busy);
    outcome.signalled = signalled;
    outcome.family = family;
    if (signalled) outcome.seconds_to_exit = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled_at).count();
    for (const pid_t p : family) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!gone(p) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
        if (!gone(p)) {
            outcome.left.insert(p);
            ::kill(p, SIGKILL);  // do not leak it into the next test
            ::waitpid(p, nullptr, 0);
        }
    }
    return outcome;
}

bool ended_by(const tour_test::ProgramRun& run, int sig) { return run.signal == sig || run.exit_code == 128 + sig; }

}  // namespace

TEST_CASE("1. --timeout nan, inf: refused with exit 2 before anything runs (NaN used to switch the timeout off)") {
    ServedList list({"/site/1?fault=stall"});
    for (const auto& name : chapters) {
        for (const char* value : {"nan", "NaN", "-nan", "inf"}) {
            CAPTURE(name);
            CAPTURE(value);
            const auto run = run_program(program(name), {"--urls", list.file.path().string(), "--timeout", value}, 20s);
            CHECK_FALSE(run.timed_out);
            CHECK(run.exit_code == 2);
            CHECK(contains(run.err, "--timeout: needs a finite number"));
            CHECK_FALSE(contains(run.out, "Starting"));
        }
    }
}

TEST_CASE("2. SIGINT or SIGTERM to the program's PID: it ends at once with 130/143 and leaves no process behind") {
    for (const auto& name : chapters) {
        for (const int sig : {SIGINT, SIGTERM}) {
            CAPTURE(name);
            CAPTURE(sigabbrev_np(sig));
            const auto o = interrupt(name, slow_run(name), name, sig);
            CAPTURE(o.run.err);
            REQUIRE(o.signalled);
            CHECK_FALSE(o.run.timed_out);
            CHECK(ended_by(o.run, sig));
            CHECK(o.seconds_to_exit < 5);
            CHECK(o.family.size() >= (name == "03_processes" ? 3u : 1u));  // sitesim (+ two workers)
            CHECK(o.left.empty());
        }
    }
}

TEST_CASE("2. a program killed outright (SIGKILL: no clean-up at all): its children still end by themselves") {
    for (const auto& name : chapters) {
        CAPTURE(name);
        const auto o = interrupt(name, slow_run(name), name, SIGKILL);
        REQUIRE(o.signalled);
        CHECK(o.run.signal == SIGKILL);
        CHECK(o.left.empty());  // sitesim and 03's workers die with their parent (PR_SET_PDEATHSIG)
    }
}

TEST_CASE("2. compare interrupted: the running model stops as its own Ctrl-C stops it and its row is printed, "
          "the next do not run; everything ends, the scratch directory goes") {
    // SIGHUP (the terminal was closed) and SIGQUIT (Ctrl-\) used to end compare on the spot,
    // leaving its tour-compare-* directory behind (round 2, item 12). And any stop signal used to
    // kill the running model: the models that had run were never shown.
    const std::map<int, std::pair<std::string, std::string>> expected = {  // compare's words, the model's stop_reason
        {SIGINT, {"Ctrl-C", "interrupted"}}, {SIGTERM, {"SIGTERM", "terminated"}},
        {SIGHUP, {"SIGHUP (the terminal was closed)", "interrupted"}}, {SIGQUIT, {"Ctrl-\\", "interrupted"}}};
    for (const auto& [sig, words] : expected) {
        CAPTURE(sigabbrev_np(sig));
        const auto scratch = std::filesystem::temp_directory_path() / ("tour-hardening-" + std::to_string(::getpid()));
        std::filesystem::create_directories(scratch);
        const char* old_tmpdir = std::getenv("TMPDIR");
        const std::string saved = old_tmpdir ? old_tmpdir : "";
        ::setenv("TMPDIR", scratch.c_str(), 1);  // compare makes its tour-compare-* directory here
        const auto o = interrupt("compare", {"--sites", "20", "--latency-ms", "3000"}, "01_serial", sig);
        if (old_tmpdir) ::setenv("TMPDIR", saved.c_str(), 1);
        else ::unsetenv("TMPDIR");
        CAPTURE(o.run.err);
        REQUIRE(o.signalled);
        CHECK_FALSE(o.run.timed_out);
        CHECK(ended_by(o.run, sig));
        CHECK(o.seconds_to_exit < 5);
        CHECK(o.family.size() >= 3u);  // the launcher, sitesim, the serial model
        CHECK(o.left.empty());
        CHECK(std::filesystem::is_empty(scratch));
        std::filesystem::remove_all(scratch);
        CAPTURE(o.run.out);
        // The table, with the serial model's row: stopped by the signal compare relayed to it.
        const auto row = o.run.out.find("\nSerial ");
        REQUIRE(row != std::string::npos);
        CHECK(o.run.out.find(words.second, row) != std::string::npos);
        CHECK_FALSE(contains(o.run.out, "\nThreads "));
        CHECK(contains(o.run.err, "compare: stopped by " + words.first +
                                      " while Serial ran: its row counts what it cancelled; not run: Threads, "
                                      "Processes, Event loop\n"));
    }
}

TEST_CASE("2. compare: a second stop signal ends it at once, the running model killed, no table") {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    std::set<pid_t> family;
    bool signalled = false;
    const auto twice_when_busy = [&](pid_t pid) {
        pid_t model = 0;
        for (int i = 0; i < 6000 && model == 0; ++i) {  // 60 s at most
            for (const auto& [p, comm] : descendants(pid)) {
                family.insert(p);
                if (comm == "01_serial" && has_socket(p)) model = p;
            }
            if (model == 0) std::this_thread::sleep_for(10ms);
        }
        if (model == 0) return;
        // The model is paused, so it cannot finish its graceful stop (it may take no time at
        // all) before the second signal: the first, relayed, waits for it; SIGKILL does not.
        ::kill(model, SIGSTOP);
        ::kill(pid, SIGINT);
        // The second only once compare has read the first: two pending SIGINTs are one.
        poll_until([pid] { return !signal_pending(pid, SIGINT); }, std::chrono::steady_clock::now() + 5s);
        signalled = ::kill(pid, SIGINT) == 0;
    };
    const auto run = run_program(program("compare"), {"--sites", "20", "--latency-ms", "3000"}, 90s, twice_when_busy);
    CAPTURE(run.out);
    CAPTURE(run.err);
    REQUIRE(signalled);
    CHECK_FALSE(run.timed_out);
    CHECK(ended_by(run, SIGINT));
    CHECK_FALSE(contains(run.out, "\nSerial "));
    for (const pid_t p : family) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!gone(p) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
        CHECK(gone(p));
        if (!gone(p)) ::kill(p, SIGKILL);
    }
}

TEST_CASE("2. compare stopped while it sets up (reading --urls from a FIFO): it says no model ran, then ends by the signal") {
    const auto scratch = std::filesystem::temp_directory_path() / ("tour-setup-" + std::to_string(::getpid()));
    std::filesystem::create_directories(scratch);
    const auto fifo = scratch / "urls.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto compare_scratch = scratch / "tmp";
    std::filesystem::create_directories(compare_scratch);
    ::setenv("TMPDIR", compare_scratch.c_str(), 1);
    bool signalled = false, written = false;
    const auto stop_while_reading = [&](pid_t pid) {
        // SIGTERM once compare blocks it (read as data from then on, see compare/stop_signals.hpp),
        // while compare still waits for the list: then the list, so that setting up can finish.
        const auto give_up = std::chrono::steady_clock::now() + 20s;
        if (!poll_until([pid] { return signal_blocked(pid, SIGTERM); }, give_up)) return;
        signalled = ::kill(pid, SIGTERM) == 0;
        for (int fd = -1; std::chrono::steady_clock::now() < give_up; std::this_thread::sleep_for(5ms)) {
            fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);  // ENXIO until compare opens it
            if (fd < 0) continue;
            const std::string list = "http://127.0.0.1:9/site/1\n";
            written = ::write(fd, list.data(), list.size()) == static_cast<ssize_t>(list.size());
            ::close(fd);
            break;
        }
    };
    const auto run = run_program(program("compare"), {"--urls", fifo.string()}, 60s, stop_while_reading);
    ::unsetenv("TMPDIR");
    CAPTURE(run.out);
    CAPTURE(run.err);
    REQUIRE(signalled);
    REQUIRE(written);
    CHECK_FALSE(run.timed_out);
    CHECK(ended_by(run, SIGTERM));
    CHECK(contains(run.err, "compare: stopped by SIGTERM; not run: Serial, Threads, Processes, Event loop\n"));
    CHECK_FALSE(contains(run.out, "model "));  // no table: nothing ran
    CHECK(std::filesystem::is_empty(compare_scratch));  // its scratch directory removed
    std::filesystem::remove_all(scratch);
}

TEST_CASE("2. compare killed outright (SIGKILL): the launcher, the running model and the simulator still end") {
    const auto o = interrupt("compare", {"--sites", "20", "--latency-ms", "3000"}, "01_serial", SIGKILL);
    REQUIRE(o.signalled);
    CHECK(o.run.signal == SIGKILL);
    CHECK(o.family.size() >= 3u);  // the launcher, sitesim, the serial model
    CHECK(o.left.empty());         // the model too: the launcher kills it as it dies
}

namespace {

// Has `pid`, our child, ended (a zombie not reaped yet, or gone)?
bool ended(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    const auto close = text.rfind(") ");
    return close == std::string::npos || text.compare(close + 2, 1, "Z") == 0;
}

}  // namespace

TEST_CASE("2. a stop signal to compare's whole process group (a terminal's Ctrl-C, a closed terminal): 128+N after the clean-up") {
    // A terminal signals the whole foreground group, once: compare, its launcher, and (were they
    // in it) the model and sitesim. The launcher used to die of SIGTERM, and compare said "the
    // launcher process stopped answering" (exit 1).
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    for (const auto& [name, number] : std::vector<std::pair<std::string, int>>{{"TERM", SIGTERM}, {"HUP", SIGHUP}, {"INT", SIGINT}}) {
        CAPTURE(name);
        const auto scratch = std::filesystem::temp_directory_path() / ("tour-group-" + std::to_string(::getpid()));
        std::filesystem::create_directories(scratch);
        ::setenv("TMPDIR", scratch.c_str(), 1);
        std::set<pid_t> family;
        std::set<std::string> commands;
        bool signalled = false;
        const auto watch = [&](pid_t pid) {  // every process below compare, until it ends
            for (int i = 0; i < 9000 && !ended(pid); ++i) {  // 90 s at most
                for (const auto& [p, comm] : descendants(pid)) {
                    family.insert(p);
                    commands.insert(comm);
                    if (!signalled && comm == "01_serial" && has_socket(p)) signalled = ::kill(-pid, number) == 0;
                }
                std::this_thread::sleep_for(10ms);
            }
        };
        const auto run = run_program(program("compare"), {"--sites", "20", "--latency-ms", "3000"}, 120s, watch,
                                     /*own_group=*/true);
        REQUIRE(signalled);
        ::unsetenv("TMPDIR");
        CAPTURE(run.out);
        CAPTURE(run.err);
        CHECK_FALSE(run.timed_out);
        CHECK(ended_by(run, number));  // compare's own end, by the signal, after the clean-up
        CHECK_FALSE(contains(run.err, "stopped answering"));
        CHECK(commands.count("01_serial") == 1);  // the signal came while a model ran
        // The model runs in a process group of its own: the group's signal did not reach it, compare
        // relayed one, and the model stopped gracefully (a second would have killed it).
        CHECK(contains(run.err, " while Serial ran: its row counts what it cancelled"));
        CHECK(commands.count("sitesim") == 1);
        CHECK(family.size() >= 3u);  // below compare: the launcher, sitesim, the model
        std::set<pid_t> left;
        for (const pid_t p : family) {
            const auto deadline = std::chrono::steady_clock::now() + 5s;
            while (!gone(p) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
            if (!gone(p)) {
                left.insert(p);
                ::kill(p, SIGKILL);
                ::waitpid(p, nullptr, 0);
            }
        }
        CHECK(left.empty());
        CHECK(std::filesystem::is_empty(scratch));
        std::filesystem::remove_all(scratch);
    }
}

TEST_CASE("3. a URL that is not UTF-8: the JSON report is written, valid, with the bytes kept escaped") {
    ServedList list({"/site/1?q=\xff\xfe", "/site/2"});
    for (const auto& name : chapters) {
        CAPTURE(name);
        TempFile json("{\"old\": true}\n", ".json");
        const auto run = run_program(program(name), {"--urls", list.file.path().string(), "--json", json.path().string()});
        CAPTURE(run.err);
        CHECK(run.exit_code <= 1);  // sitesim answers 400 to such a target; the point is the report
        const auto doc = nlohmann::json::parse(std::ifstream(json.path()));
        REQUIRE(doc["results"].size() == 2);
        CHECK(contains(doc["results"][0]["url_bytes"].get<std::string>(), "/site/1?q=\\xff\\xfe"));
        CHECK(doc["results"][1]["ok"] == true);
    }
    TempFile json("", ".json");
    const auto run = run_program(program("compare"), {"--urls", list.file.path().string(), "--only", "serial,event-loop", "--json",
                                                      json.path().string()});
    CAPTURE(run.err);
    CHECK(run.exit_code == 1);  // one page failed: not "failed to run"
    // Item 11: each model's failure list is headed by its name.
    CHECK(contains(run.err, "Serial: 1 URL failed:"));
    CHECK(contains(run.err, "Event loop: 1 URL failed:"));
    CHECK(nlohmann::json::parse(std::ifstream(json.path()))["runs"].size() == 2);
}

TEST_CASE("4, 5. bad paths are refused before any work, exit 2, with the system's reason") {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"--json", "/proc/x/y"}, "--json: /proc/x/y: cannot be written (No such file or directory)"},
        {{"--urls", "/nonexistent/list"}, "--urls: /nonexistent/list: cannot be read (No such file or directory)"},
        {{"--cacert", "/nonexistent.pem"}, "--cacert: /nonexistent.pem: cannot be read (No such file or directory)"},
        {{"--cacert", "/"}, "--cacert: /: is a directory"},
    };
    for (const auto& name : std::vector<std::string>{"01_serial", "02_threads", "03_processes", "04_asio", "compare"}) {
        for (const auto& c : cases) {
            CAPTURE(name);
            CAPTURE(c.args);
            const auto run = run_program(program(name), c.args, 20s);
            CHECK(run.exit_code == 2);
            CHECK(contains(run.err, c.message));
            CHECK_FALSE(contains(run.out, "Starting"));
        }
    }
    for (const auto& args : std::vector<std::vector<std::string>>{{"--timeline", "/proc/x/t.svg"},
                                                                  {"--sweep", "--sweep-chart", "/proc/x/s.svg"}}) {
        CAPTURE(args);
        const auto run = run_program(program("compare"), args, 20s);
        CHECK(run.exit_code == 2);
        CHECK(contains(run.err, "cannot be written (No such file or directory)"));
        CHECK_FALSE(contains(run.out, "Starting"));
    }
}

TEST_CASE("8. --seed outside 0 .. 2^64-1 is refused, not wrapped") {
    for (const char* seed : {"-1", "99999999999999999999"}) {
        CAPTURE(seed);
        const auto run = run_program(program("01_serial"), {"--seed", seed, "--sites", "1"}, 20s);
        CHECK(run.exit_code == 2);
        CHECK(contains(run.err, "--seed: "));
        CHECK(contains(run.err, "0 to 18446744073709551615"));
    }
}

TEST_CASE("9. the list's limits: refused with exit 2 before anything large is made") {
    std::string eleven_urls;
    for (int i = 0; i < 11; ++i) eleven_urls += "http://example.org/" + std::to_string(i) + "\n";
    TempFile eleven(eleven_urls);
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    for (const Case& c : std::vector<Case>{
             {{"--sites", "1000000", "--repeat", "100000"}, "more than 1,000,000 URLs"},
             {{"--urls", eleven.path().string(), "--repeat", "100000"}, "more than 1,000,000 URLs"},
             {{"--urls", "/dev/zero"}, "/dev/zero:1: line longer than 65,536 bytes"},
         }) {
        for (const auto& name : chapters) {
            CAPTURE(name);
            CAPTURE(c.args);
            const auto run = run_program(program(name), c.args, 20s);
            CHECK_FALSE(run.timed_out);
            CHECK(run.exit_code == 2);
            CHECK(contains(run.err, c.message));
            CHECK(run.err.size() < 1000);
        }
    }
}

namespace {

struct TableRow {
    std::string what, command, says;
    int exit = -1;
};

std::vector<std::string> backticked(const std::string& text) {
    std::vector<std::string> pieces;
    for (std::size_t open = text.find('`'); open != std::string::npos; open = text.find('`', open)) {
        const auto close = text.find('`', open + 1);
        if (close == std::string::npos) break;
        pieces.push_back(text.substr(open + 1, close - open - 1));
        open = close + 1;
    }
    return pieces;
}

// The rows of the table under "## The table" in docs/deep/07-what-can-go-wrong.md.
std::vector<TableRow> what_can_go_wrong() {
    std::ifstream in(std::string(TOUR_SOURCE_DIR) + "/docs/deep/07-what-can-go-wrong.md");
    std::vector<TableRow> rows;
    bool in_section = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("## ", 0) == 0) in_section = line == "## The table";
        if (!in_section || line.rfind("| ", 0) != 0 || line.rfind("| ---", 0) == 0 || line.rfind("| What goes wrong", 0) == 0) {
            continue;
        }
        std::vector<std::string> cells;
        for (std::size_t start = 2; start < line.size();) {
            const auto end = line.find(" | ", start);
            cells.push_back(line.substr(start, end == std::string::npos ? line.size() - start - 2 : end - start));
            if (end == std::string::npos) break;
            start = end + 3;
        }
        REQUIRE(cells.size() == 4);
        const auto command = backticked(cells[1]);
        REQUIRE(command.size() == 1);
        rows.push_back({cells[0], command[0], cells[2], std::stoi(cells[3])});
    }
    return rows;
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
    return text;
}

}  // namespace

TEST_CASE("the what-can-go-wrong table in docs/deep/07-what-can-go-wrong.md: every row's command does what the row says") {
    const auto rows = what_can_go_wrong();
    REQUIRE(rows.size() >= 15);
    tour::SiteSimulator sim(1, 2);  // stands for the reader's sitesim on port 8080
    const std::string port = std::to_string(sim.port());
    tour_test::HostileServer hostile;  // ... and for hostile_server.py on port 8081
    const std::string hostile_port = std::to_string(hostile.port());
    for (const auto& row : rows) {
        CAPTURE(row.what);
        CAPTURE(row.command);
        const auto background = row.command.find(" & ");
        if (background != std::string::npos) {  // "PROGRAM ARGS & sleep 1; kill -SIG $!"
            auto args = words(row.command.substr(0, background));
            const std::string name = args.front();
            args.erase(args.begin());
            const auto kill_at = row.command.find("kill -");
            REQUIRE(kill_at != std::string::npos);
            const std::string signal_name = words(row.command.substr(kill_at + 6)).front();
            const std::map<std::string, int> numbers = {{"INT", SIGINT}, {"TERM", SIGTERM}, {"HUP", SIGHUP}, {"QUIT", SIGQUIT}, {"KILL", SIGKILL}};
            REQUIRE(numbers.count(signal_name) == 1);
            const int sig = numbers.at(signal_name);
            CHECK(row.exit == 128 + sig);
            const auto scratch = std::filesystem::temp_directory_path() / ("tour-table-" + std::to_string(::getpid()));
            std::filesystem::create_directories(scratch);
            ::setenv("TMPDIR", scratch.c_str(), 1);
            const auto o = interrupt(name, args, name == "compare" ? "01_serial" : name, sig);
            ::unsetenv("TMPDIR");
            REQUIRE(o.signalled);
            CAPTURE(o.run.err);
            CHECK(ended_by(o.run, sig));
            for (const auto& text : backticked(row.says)) CHECK(contains(o.run.err, text));
            CHECK_FALSE(o.family.empty());
            CHECK(o.left.empty());
            CHECK(std::filesystem::is_empty(scratch));
            std::filesystem::remove_all(scratch);
            continue;
        }
        // "PROGRAM ARGS", where an argument may be "<(echo LINE)": a file holding LINE, and the
        // command may start "ulimit -n N; " (run by a shell, which sets the limit, then exec).
        std::string command = replace_all(row.command, "127.0.0.1:8080", "127.0.0.1:" + port);
        std::string open_files;
        if (command.rfind("ulimit -n ", 0) == 0) {
            const auto semicolon = command.find("; ");
            REQUIRE(semicolon != std::string::npos);
            open_files = command.substr(10, semicolon - 10);
            command.erase(0, semicolon + 2);
        }
        command = replace_all(command, "127.0.0.1:8081", "127.0.0.1:" + hostile_port);
        std::unique_ptr<TempFile> one_line;
        if (const auto open = command.find("<(echo "); open != std::string::npos) {
            const auto close = command.find(')', open);
            REQUIRE(close != std::string::npos);
            one_line = std::make_unique<TempFile>(command.substr(open + 7, close - open - 7) + "\n");
            command.replace(open, close - open + 1, one_line->path().string());
        }
        auto args = words(command);
        // "NAME=VALUE PROGRAM ARGS": the environment variable set for this run only.
        std::vector<std::pair<std::string, std::optional<std::string>>> saved_env;
        while (!args.empty() && args.front().find('=') != std::string::npos && args.front().front() != '-') {
            const auto equals = args.front().find('=');
            const std::string variable = args.front().substr(0, equals);
            const char* old = std::getenv(variable.c_str());
            saved_env.emplace_back(variable, old ? std::optional<std::string>(old) : std::nullopt);
            ::setenv(variable.c_str(), args.front().substr(equals + 1).c_str(), 1);
            args.erase(args.begin());
        }
        std::string name = args.front();
        args.erase(args.begin());
        std::filesystem::path executable = program(name);
        // "timeout ... PROGRAM ARGS": coreutils' timeout, which signals the program's whole
        // process group; the program's scratch directory must still be removed.
        std::optional<std::filesystem::path> scratch;
        if (name == "timeout") {
            executable = "/usr/bin/timeout";
            const auto named = std::find_if(args.begin(), args.end(), [](const std::string& w) {
                return w == "compare" || w == "sitesim" || w.rfind("0", 0) == 0;
            });
            REQUIRE(named != args.end());
            name = *named;
            *named = program(name).string();
            scratch = std::filesystem::temp_directory_path() / ("tour-table-" + std::to_string(::getpid()));
            std::filesystem::create_directories(*scratch);
            saved_env.emplace_back("TMPDIR", std::getenv("TMPDIR") ? std::optional<std::string>(std::getenv("TMPDIR")) : std::nullopt);
            ::setenv("TMPDIR", scratch->c_str(), 1);
        }
        if (!open_files.empty()) {  // "ulimit -n N; PROGRAM ARGS": the limit for this run only
            args.insert(args.begin(), {"-c", "ulimit -n " + open_files + " && exec \"$0\" \"$@\"", executable.string()});
            executable = "/bin/sh";
        }
        const auto run = run_program(executable, args, 90s);
        for (auto it = saved_env.rbegin(); it != saved_env.rend(); ++it) {  // newest first: the original comes back last
            const auto& [variable, old] = *it;
            if (old) ::setenv(variable.c_str(), old->c_str(), 1);
            else ::unsetenv(variable.c_str());
        }
        CAPTURE(run.err);
        CHECK_FALSE(run.timed_out);
        CHECK(run.exit_code == row.exit);
        for (const auto& text : backticked(row.says)) CHECK(contains(run.err, replace_all(text, "8080", port)));
        if (scratch) {
            CHECK(std::filesystem::is_empty(*scratch));
            std::filesystem::remove_all(*scratch);
        }
    }
}
