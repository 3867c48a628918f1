#include "stop_check.hpp"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>
#include <signal.h>

#include "common/stop.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"
#include "simulator/sitesim_process.hpp"

namespace tour_test {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t page_count = 40;
constexpr const char* two_second_pages = "?delay_ms=2000";

double seconds_between(SteadyClock::time_point from, SteadyClock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

std::chrono::milliseconds scaled(std::chrono::milliseconds bound) {
    return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(bound.count()) * stop_slack()));
}

std::vector<std::string> page_urls(const tour::SiteSimulator& sim, const std::string& query) {
    std::vector<std::string> urls;
    for (std::size_t i = 0; i < page_count; ++i) urls.push_back(sim.base_url() + sitesim::site_path(i) + query);
    return urls;
}

std::string as_lines(const std::vector<std::string>& urls) {
    std::string text;
    for (const auto& url : urls) text += url + "\n";
    return text;
}

// Waits (bounded) until the server has `count` requests in flight: the program is running its
// model, so its StopWatcher is in place and a signal now is a stop, not the default action.
bool wait_for_in_flight(const tour::SiteSimulator& sim, int count) {
    const auto give_up = SteadyClock::now() + scaled(15'000ms);
    while (SteadyClock::now() < give_up) {
        if (sim.stats()["in_flight"].get<int>() >= count) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

// The server once the program has gone: nothing in flight, no connection open. A page the
// server is still pausing on (it cannot see the client leave until it writes) ends within its
// 2 s delay, so this waits up to 3 s (more under sanitizers) for quiet, then checks.
void check_quiet_after(const tour::SiteSimulator& sim) {
    const auto give_up = SteadyClock::now() + scaled(3'000ms);
    nlohmann::json stats = sim.stats();
    while (SteadyClock::now() < give_up && (stats["in_flight"] != 0 || stats["connections"] != 0)) {
        std::this_thread::sleep_for(20ms);
        stats = sim.stats();
    }
    CAPTURE(stats.dump());
    CHECK(stats["in_flight"] == 0);
    CHECK(stats["connections"] == 0);
}

nlohmann::json read_json(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    try {
        return nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::exception& e) {
        FAIL_CHECK("--json file " << path << " is not JSON: " << e.what() << "\n" << text.str().substr(0, 400));
        return nlohmann::json::object();
    }
}

// The --json file accounts for every URL once, its totals match its records, and the stop is
// the expected one. Returns the document for the caller's own checks.
nlohmann::json check_accounted(const std::filesystem::path& path, const std::vector<std::string>& urls,
                               tour::StopReason reason) {
    nlohmann::json doc = read_json(path);
    if (!doc.contains("results")) return doc;
    CHECK(doc["sites"] == urls.size());
    CHECK(doc["stop_reason"] == std::string(tour::stop_reason_name(reason)));
    std::map<std::string, int> seen;
    std::map<std::string, std::size_t> by_status;
    for (const auto& record : doc["results"]) {
        ++seen[record["url"].get<std::string>()];
        const std::string status = record["status"].get<std::string>();
        ++by_status[status];
        CHECK(record["ok"] == (status == "ok"));
        if (status == "cancelled") CHECK(record["error"] == tour::cancelled_text(reason));
    }
    for (const auto& url : urls) {
        CAPTURE(url);
        CHECK(seen[url] == 1);  // each URL exactly once
    }
    CHECK(seen.size() == urls.size());  // and nothing else
    CHECK(by_status["ok"] + by_status["failed"] + by_status["cancelled"] == urls.size());
    CHECK(doc["ok"] == by_status["ok"]);
    CHECK(doc["failed"] == by_status["failed"]);
    CHECK(doc["cancelled"] == by_status["cancelled"]);
    return doc;
}

// One run of the target on `urls` (a file) with --json, `extra` arguments and `meanwhile`.
struct StopRun {
    ProgramRun run;
    SteadyClock::time_point started{}, ended{};
};

StopRun run_target(const StopTarget& target, const std::vector<std::string>& urls, const TempFile& json,
                   const std::vector<std::string>& extra, const std::function<void(pid_t)>& meanwhile = {},
                   bool own_group = false) {
    const TempFile list(as_lines(urls));
    std::vector<std::string> args = target.args;
    args.insert(args.end(), {"--urls", list.path().string(), "--json", json.path().string(), "--timeout", "30"});
    args.insert(args.end(), extra.begin(), extra.end());
    StopRun r;
    r.started = SteadyClock::now();
    r.run = run_program(target.program, args, std::chrono::seconds(120), meanwhile, own_group);
    r.ended = SteadyClock::now();
    CAPTURE(r.run.err);
    CHECK_FALSE(r.run.timed_out);
    return r;
}

}  // namespace

double stop_slack() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return 2.5;
#else
    return 1.0;
#endif
}

namespace {

// `--deadline 1` on 40 pages made with `query`: exit 1 within a generous bound (1 s, plus the
// next progress callback of each transfer), all 40 accounted for and cancelled (no page of
// these can finish within 1 s), and the server saw only the first `started` requests.
struct DeadlineRun {
    ProgramRun run;
    nlohmann::json doc;
};

DeadlineRun run_to_deadline(const StopTarget& target, const tour::SiteSimulator& sim, const std::string& query) {
    const auto urls = page_urls(sim, query);
    const TempFile json("", ".json");
    const StopRun r = run_target(target, urls, json, {"--deadline", "1"});
    CAPTURE(r.run.err);
    CHECK(r.run.exit_code == 1);
    CHECK(seconds_between(r.started, r.ended) < 4.0 * stop_slack());
    auto doc = check_accounted(json.path(), urls, tour::StopReason::deadline);
    CHECK(doc["cancelled"] == page_count);
    CHECK(sim.stats()["requests"] == target.started);  // no request started after the stop
    return {r.run, std::move(doc)};
}

}  // namespace

void check_deadline_stop(const StopTarget& target) {
    tour::SiteSimulator sim(1, 0);
    const DeadlineRun r = run_to_deadline(target, sim, two_second_pages);
    CHECK(contains(r.run.out, "0 ok, 0 failed, 40 cancelled"));
    CHECK(contains(r.run.err, "stopped (deadline): 40 URLs cancelled"));
    check_quiet_after(sim);
}

void check_signal_stop(const StopTarget& target, int signal, bool to_group) {
    CAPTURE(signal);
    CAPTURE(to_group);
    tour::SiteSimulator sim(1, 0);
    const auto urls = page_urls(sim, two_second_pages);
    const TempFile json("", ".json");
    SteadyClock::time_point sent{};
    bool running = false;
    const StopRun r = run_target(
        target, urls, json, {},
        [&](pid_t pid) {
            const auto one_second_in = SteadyClock::now() + 1s;
            running = wait_for_in_flight(sim, target.started);
            std::this_thread::sleep_until(one_second_in);  // no-op if the start took longer
            sent = SteadyClock::now();
            ::kill(to_group ? -pid : pid, signal);
        },
        to_group);
    REQUIRE(running);
    CAPTURE(r.run.err);
    // A graceful stop (the report below), after which the program ends by the signal itself, as
    // a shell expects of an interrupted program (its $? is 128 + signal).
    CHECK(r.run.signal == signal);
    CHECK(seconds_between(sent, r.ended) < 3.0 * stop_slack());
    const auto reason = signal == SIGINT ? tour::StopReason::interrupted : tour::StopReason::terminated;
    const auto doc = check_accounted(json.path(), urls, reason);
    CHECK(doc["cancelled"] == page_count);
    CHECK(contains(r.run.out, "0 ok, 0 failed, 40 cancelled"));  // the partial report
    CHECK(contains(r.run.err, "stopped " + std::string(tour::stop_reason_words(reason)) + ":"));
    CHECK(sim.stats()["requests"] == target.started);
    check_quiet_after(sim);
}

namespace {
// After SIGSTOP: true once `pid` is stopped; false if it ended first or `give_up` came.
bool wait_until_stopped(pid_t pid, SteadyClock::time_point give_up) {
    char state = '\0';
    poll_until([&] {
        state = process_state(pid);
        return state == 'T' || state == 'Z' || state == '\0';  // stopped, or ended (a zombie, gone)
    }, give_up, 0us);
    return state == 'T';
}
}  // namespace

void check_second_signal(const StopTarget& target) {
    // The second signal must arrive while the first stop is still under way. The first two
    // attempts are a user's double Ctrl-C: SIGINT, then, once the program has taken it (no longer
    // pending: two pending SIGINTs merge into one), a freeze with SIGSTOP, the second SIGINT and
    // SIGCONT. Chapter 4's graceful stop takes a few milliseconds, so on a loaded machine it can
    // finish before the freeze: then its report is printed, that attempt proves nothing, and the
    // next one runs. The last attempt cannot lose: the program frozen first, SIGINT and SIGTERM
    // both pending (different signals do not merge), then SIGCONT: the program takes SIGINT
    // (the lower number is taken first) and finds SIGTERM waiting, a second stop signal.
    for (int attempt = 1; attempt <= 3; ++attempt) {
        CAPTURE(attempt);
        const bool both_pending = attempt == 3;
        tour::SiteSimulator sim(1, 0);
        const auto urls = page_urls(sim, two_second_pages);
        const TempFile json("", ".json");
        SteadyClock::time_point second{};
        bool running = false;
        bool frozen = false;
        const StopRun r = run_target(target, urls, json, {}, [&](pid_t pid) {
            running = wait_for_in_flight(sim, target.started);
            const auto give_up = SteadyClock::now() + scaled(5'000ms);
            if (!both_pending) {
                ::kill(pid, SIGINT);
                // No sleep: every microsecond here is one the graceful stop can use to finish.
                poll_until([&] { return !signal_pending(pid, SIGINT); }, give_up, 0us);
            }
            ::kill(pid, SIGSTOP);
            frozen = wait_until_stopped(pid, give_up);
            if (both_pending) ::kill(pid, SIGINT);  // the first, pending beside the second
            second = SteadyClock::now();
            // Caught: pending until SIGCONT. With its default action back: fatal at once.
            ::kill(pid, both_pending ? SIGTERM : SIGINT);
            ::kill(pid, SIGCONT);
        });
        REQUIRE(running);
        CAPTURE(r.run.err);
        if (!both_pending && contains(r.run.out, " cancelled, ")) continue;  // the first stop won the race
        if (both_pending) REQUIRE(frozen);
        CHECK_FALSE(contains(r.run.out, " cancelled, "));  // no report: the second signal ended it
        CHECK(r.run.signal == (both_pending ? SIGTERM : SIGINT));  // by the signal itself: the shell sees 128+N
        CHECK(seconds_between(second, r.ended) < 1.5 * stop_slack());
        check_quiet_after(sim);
        return;
    }
}

void check_fail_fast(const StopTarget& target) {
    tour::SiteSimulator sim(1, 0);
    auto urls = page_urls(sim, two_second_pages);
    urls[0] = sim.base_url() + sitesim::site_path(0) + "?fault=reset&delay_ms=0";  // fails at once
    const TempFile json("", ".json");
    const StopRun r = run_target(target, urls, json, {"--fail-fast"});
    CAPTURE(r.run.err);
    CHECK(r.run.exit_code == 1);
    CHECK(seconds_between(r.started, r.ended) < 3.5 * stop_slack());
    const auto doc = check_accounted(json.path(), urls, tour::StopReason::fail_fast);
    for (const auto& record : doc.value("results", nlohmann::json::array())) {
        CAPTURE(record.dump());
        CHECK(record["status"] == (record["url"] == urls[0] ? "failed" : "cancelled"));
    }
    const int requests = sim.stats()["requests"].get<int>();
    CHECK(requests >= 1);
    CHECK(requests <= target.started);  // the workers that had started; nobody started another
    check_quiet_after(sim);
}

void check_mid_body_stop(const StopTarget& target) {
    tour::SiteSimulator sim(1, 0);
    // The headers at once, then one body byte every 100 ms: at 1 s each transfer is mid-body.
    const DeadlineRun r = run_to_deadline(target, sim, "?fault=slowbody&bytes=100000&delay_ms=0");
    int cut_mid_body = 0;
    for (const auto& record : r.doc.value("results", nlohmann::json::array())) {
        if (record["bytes"].get<std::uint64_t>() > 0) ++cut_mid_body;
    }
    CHECK(cut_mid_body == target.started);  // the transfers in flight had body bytes when aborted
    check_quiet_after(sim);
}

}  // namespace tour_test
