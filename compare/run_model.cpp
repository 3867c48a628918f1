#include "run_model.hpp"

#include "stop_signals.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <tuple>
#include <type_traits>

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "simulator/sitesim_process.hpp"
#include "schedule.hpp"

namespace compare {

const std::vector<ModelInfo>& all_models() {
    static const std::vector<ModelInfo> models = {
        {"serial", "Serial", "01_serial/01_serial", false},
        {"threads", "Threads", "02_threads/02_threads", true},
        {"processes", "Processes", "03_processes/03_processes", true},
        {"event-loop", "Event loop", "04_asio/04_asio", true},
    };
    return models;
}

// [docs:run_child]
std::pair<int, Usage> run_child(const std::filesystem::path& program, const std::vector<std::string>& args,
                                const std::function<void(pid_t)>& started) {
    std::vector<std::string> argv = {program.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_t pid = -1;
    try {
        // posix_spawn, with the default signal mask, in a process group of its own (see Launcher)
        pid = tour::spawn(argv, nullptr, tour::ProcessGroup::own);
    } catch (const std::system_error& e) {
        throw std::runtime_error("cannot run " + program.string() + ": " + e.code().message());
    }
    if (started) started(pid);
    int status = 0;
    rusage usage{};
    // Not tour::reap: wait4 reaps the child and also returns the resources it used, its own
    // reaped children included.
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "wait4");
    }
    // A program that stopped gracefully after SIGINT or SIGTERM ends by that signal after its
    // report (tour::end_by_stop_signal_at_exit): the shell's 130 or 143. Any other signal killed it.
    const bool stopped = WIFSIGNALED(status) && (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM);
    if (WIFSIGNALED(status) && !stopped) {
        throw std::runtime_error(program.filename().string() + " was " + tour::describe_wait_status(status));
    }
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    Usage u;
    u.cpu_user_s = seconds(usage.ru_utime);
    u.cpu_system_s = seconds(usage.ru_stime);
    u.peak_rss_kib = usage.ru_maxrss;
    u.voluntary_switches = usage.ru_nvcsw;
    u.involuntary_switches = usage.ru_nivcsw;
    return {stopped ? 128 + WTERMSIG(status) : WEXITSTATUS(status), u};
}
// [/docs:run_child]

namespace {

// What the launcher sends back: plain data, so it can be written as bytes. Two replies per
// program: {finished 0, its pid} when it starts, {finished 1, ...} when it has ended (only the
// second when it could not start).
struct Reply {
    int finished = 0;
    pid_t pid = -1;
    int started = 0;  // 0: run_child threw, `error` says why
    int exit_code = 0;
    Usage usage;
    char error[512] = {};
};
static_assert(std::is_trivially_copyable_v<Reply>);

// The model the launcher is running now (0: none), for the handler below. pid_t is an int, as
// sig_atomic_t is on Linux: a signal handler may read it safely.
volatile std::sig_atomic_t running_model = 0;

// The launcher's parent-death signal: compare is gone, killed outright (SIGKILL: it could clean
// up nothing). Take the running model along, so nothing outlives compare, then go. kill() and
// _exit() are async-signal-safe.
constexpr int parent_died = SIGUSR1;
extern "C" void stop_model_and_exit(int signal) {
    if (running_model > 0) ::kill(running_model, SIGKILL);
    ::_exit(128 + signal);
}

// The launcher's whole life: read an argument list, run it, reply; until end of file.
[[noreturn]] void launcher_main(int requests, int replies) {
    for (;;) {
        std::uint32_t count = 0;
        if (!tour::read_all(requests, &count, sizeof count)) ::_exit(0);  // compare is done (or gone)
        std::vector<std::string> words(count);
        for (auto& word : words) {
            std::uint32_t length = 0;
            if (!tour::read_all(requests, &length, sizeof length)) ::_exit(1);
            word.resize(length);
            if (!tour::read_all(requests, word.data(), length)) ::_exit(1);
        }
        Reply reply;
        reply.finished = 1;
        const auto tell_pid = [replies](pid_t pid) {
            running_model = pid;
            Reply started;
            started.pid = pid;
            tour::write_all(replies, &started, sizeof started);
        };
        try {
            std::tie(reply.exit_code, reply.usage) = run_child(words.at(0), {words.begin() + 1, words.end()}, tell_pid);
            reply.started = 1;
        } catch (const std::exception& e) {
            std::strncpy(reply.error, e.what(), sizeof reply.error - 1);
        }
        running_model = 0;  // reaped by run_child
        if (!tour::write_all(replies, &reply, sizeof reply)) ::_exit(1);
    }
}

}  // namespace

Launcher::Launcher(StopSignals* stop) : stop_(stop) {
    auto [requests_in, requests_out] = tour::make_pipe();
    auto [replies_in, replies_out] = tour::make_pipe();
    const pid_t compare_pid = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid_ == 0) {
        // The launcher: a copy of compare as it is now, small. It leaves with _exit() only,
        // so compare's stdio buffers and destructors never run twice.
        // Not SIGKILL: the launcher must take its running model along (stop_model_and_exit).
        // Not SIGTERM either: the stop signals stay blocked here, as compare blocked them before
        // the fork. A signal to the whole process group (`timeout 3 compare`, a closed terminal)
        // reaches the launcher too, and it must not die of it: compare, which gets the same
        // signal, decides what stops, and needs the launcher's answer to do it.
        struct sigaction action {};
        action.sa_handler = stop_model_and_exit;
        ::sigaction(parent_died, &action, nullptr);
        tour::die_with_parent(compare_pid, parent_died);
        requests_out.close();
        replies_in.close();
        launcher_main(requests_in.get(), replies_out.get());
    }
    requests_ = std::move(requests_out);
    replies_ = std::move(replies_in);
}

Launcher::~Launcher() {
    requests_.close();
    replies_.close();
    try {
        tour::reap(pid_);
    } catch (const std::system_error&) {  // nothing left to wait for; a destructor must not throw
    }
}

std::pair<int, Usage> Launcher::run(const std::filesystem::path& program, const std::vector<std::string>& args) {
    std::vector<std::string> words = {program.string()};
    words.insert(words.end(), args.begin(), args.end());
    const int fd = requests_.get();
    const auto count = static_cast<std::uint32_t>(words.size());
    bool sent = tour::write_all(fd, &count, sizeof count);
    for (const auto& word : words) {
        const auto length = static_cast<std::uint32_t>(word.size());
        sent = sent && tour::write_all(fd, &length, sizeof length) && tour::write_all(fd, word.data(), word.size());
    }
    if (!sent) throw std::runtime_error("the launcher process stopped answering");
    pid_t running = -1;  // the program's pid, once the launcher has said it
    int relayed = 0;     // the graceful stop passed on to it (0: none yet)
    std::optional<std::chrono::steady_clock::time_point> kill_at;  // if it has not ended by then
    int second = 0;      // a second stop signal: kill the program, end compare
    bool killed = false;
    for (;;) {
        int wait_ms = -1;
        if (kill_at) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(*kill_at - std::chrono::steady_clock::now());
            wait_ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
        }
        pollfd fds[2] = {{replies_.get(), POLLIN, 0}, {stop_ ? stop_->fd() : -1, POLLIN, 0}};
        if (::poll(fds, 2, wait_ms) < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "poll");
        }
        if (fds[1].revents != 0 && second == 0) {
            try {
                stop_->stopping();
            } catch (const Interrupted& e) {
                second = e.signal;
            }
        }
        if (fds[0].revents != 0) {
            Reply reply;
            if (!tour::read_all(replies_.get(), &reply, sizeof reply)) {
                throw std::runtime_error("the launcher process stopped answering");
            }
            if (reply.finished) {
                if (second != 0) throw Interrupted(second);
                if (!reply.started) throw std::runtime_error(reply.error);
                return {reply.exit_code, reply.usage};
            }
            running = reply.pid;
        }
        if (running <= 0 || killed) continue;
        // The first stop signal: the program's own graceful stop, once (a second signal to it
        // would be its "end now").
        if (stop_ && stop_->first() != 0 && relayed == 0) {
            relayed = stop_->first() == SIGTERM ? SIGTERM : SIGINT;
            ::kill(running, relayed);
            kill_at = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        }
        // A second stop signal, or a program that ignored the first: stop it now (its workers
        // die with it, see tour::die_with_parent); the launcher reaps it and its last reply ends
        // this loop.
        if (second != 0 || (kill_at && std::chrono::steady_clock::now() >= *kill_at)) {
            killed = ::kill(running, SIGKILL) == 0;
        }
    }
}

namespace {
// The chapters' programs are built beside compare: build/compare/compare, build/01_serial/...
std::filesystem::path build_dir() {
    return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path();
}
}  // namespace

ModelRun run_model(Launcher& launcher, const ModelInfo& model, std::optional<int> workers, const Workload& work) {
    const auto json_path = work.output_dir / (model.key + ".json");
    std::vector<std::string> args = {"--urls", work.url_file.string(), "--timeout", std::to_string(work.timeout_s),
                                     "--json", json_path.string()};
    if (!work.cacert.empty()) args.insert(args.end(), {"--cacert", work.cacert});
    // A model the deadline stops exits 1 with every URL in its report (fetched, failed or
    // cancelled): a row with its counts, like any run that failed pages.
    if (work.deadline_s) args.insert(args.end(), {"--deadline", std::to_string(*work.deadline_s)});
    if (work.fail_fast) args.push_back("--fail-fast");
    if (workers && model.has_workers) args.insert(args.end(), {"--workers", std::to_string(*workers)});
    if (work.simulator) work.simulator->reset_stats();  // so its peak in flight is this run's

    ModelRun run;
    run.model = model;
    try {
        std::tie(run.exit_code, run.usage) = launcher.run(build_dir() / model.program, args);
        if (run.exit_code == 2) {
            throw std::runtime_error(model.program + " failed to run (exit status 2)");
        }
        if (!std::filesystem::exists(json_path)) {
            run.failure = model.program + " left no report (exit status " + std::to_string(run.exit_code) + ")";
        }
    } catch (const Interrupted&) {
        throw;
    } catch (const std::runtime_error& e) {  // "01_serial was killed by SIGKILL": this model failed
        const std::string what = e.what();
        if (what.rfind("cannot run ", 0) == 0 || what.find("failed to run") != std::string::npos ||
            what.find("launcher") != std::string::npos) {
            throw;
        }
        run.failure = what;
    }
    if (!run.failure.empty()) {
        nlohmann::json results = nlohmann::json::array();
        for (const auto& url : work.urls) {
            results.push_back({{"url", url}, {"ok", false}, {"http_status", 0}, {"bytes", 0}, {"worker", 0},
                               {"start_s", 0.0}, {"end_s", 0.0}, {"error", run.failure}});
        }
        run.report = {{"model", model.label}, {"workers", workers.value_or(0)}, {"seconds", 0.0}, {"results", results},
                      {"failure", run.failure}};
        return run;
    }
    run.report = nlohmann::json::parse(std::ifstream(json_path));
    if (work.simulator) {
        run.server_peak_in_flight = work.simulator->stats().at("peak_in_flight").get<long>();
        const auto ran_with = static_cast<std::size_t>(run.report.at("workers").get<int>());
        run.ideal_seconds = std::chrono::duration<double>(ideal_makespan(work.latencies, ran_with)).count();
    }
    return run;
}

}  // namespace compare
