#include "run_program.hpp"

#include <iostream>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "simulator/site_model.hpp"

extern char** environ;

namespace tour_test {

ProgramRun run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                       std::chrono::seconds limit, const std::function<void(pid_t)>& meanwhile, bool own_group) {
    std::vector<std::string> all = {program.string()};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);

    int out_pipe[2];
    int err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    if (own_group) {
        posix_spawnattr_setpgroup(&attributes, 0);  // 0: a new group, numbered like the child
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    }
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        throw std::runtime_error("cannot run " + program.string() + ": " + std::strerror(rc));
    }

    ProgramRun run;
    std::jthread helper;
    if (meanwhile) helper = std::jthread([&meanwhile, pid] { meanwhile(pid); });
    const auto deadline = std::chrono::steady_clock::now() + limit;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&run.out, &run.err};
    int open_count = 2;
    while (open_count > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            run.timed_out = true;
            kill(own_group ? -pid : pid, SIGKILL);  // the group: its children too
            break;
        }
        const int ready = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
        if (ready < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            char buffer[4096];
            const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                sinks[i]->append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_count;
            }
        }
    }
    for (auto& f : fds) {
        if (f.fd >= 0) close(f.fd);
    }
    if (helper.joinable()) helper.join();
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
    return run;
}

namespace {
// Does the signal mask `field` of /proc/PID/status ("ShdPnd:", "SigBlk:") hold `signal`?
bool status_mask_has(pid_t pid, const std::string& field, int signal) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(field, 0) == 0) return (std::stoull(line.substr(field.size()), nullptr, 16) >> (signal - 1)) & 1u;
    }
    return false;
}
}  // namespace

bool signal_pending(pid_t pid, int signal) { return status_mask_has(pid, "ShdPnd:", signal); }

bool signal_blocked(pid_t pid, int signal) { return status_mask_has(pid, "SigBlk:", signal); }

bool signal_handled(pid_t pid, int signal) {
    return signal_blocked(pid, signal) || status_mask_has(pid, "SigCgt:", signal);
}

bool poll_until(const std::function<bool()>& condition, std::chrono::steady_clock::time_point give_up,
                std::chrono::microseconds step) {
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= give_up) return false;
        if (step.count() > 0) std::this_thread::sleep_for(step);
    }
}

char process_state(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("State:", 0) == 0) {
            const auto letter = line.find_first_not_of(" \t", 6);  // "State:\tT (stopped)"
            return letter == std::string::npos ? '\0' : line[letter];
        }
    }
    return '\0';
}

std::vector<std::pair<pid_t, std::string>> children_of(pid_t parent) {
    std::vector<std::pair<pid_t, std::string>> children;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        std::getline(in, stat);
        const auto open = stat.find('(');
        const auto close = stat.rfind(')');  // the command name may contain spaces and parentheses
        if (open == std::string::npos || close == std::string::npos) continue;
        char state = 0;
        long ppid = 0;
        if (std::sscanf(stat.c_str() + close + 1, " %c %ld", &state, &ppid) == 2 && ppid == parent) {
            children.emplace_back(static_cast<pid_t>(std::stol(name)), stat.substr(open + 1, close - open - 1));
        }
    }
    return children;
}

std::filesystem::path build_path(const std::string& relative) { return std::filesystem::path(TOUR_BINARY_DIR) / relative; }

TempFile::TempFile(const std::string& contents, const std::string& suffix) {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("tour-test-" + std::to_string(getpid()) + "-" + std::to_string(random()) + suffix);
    std::ofstream(path_) << contents;
}

TempFile::~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
}

std::uint64_t expected_bytes(std::uint64_t seed, int latency_ms, std::size_t count) {
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < count; ++i) bytes += sitesim::page_spec({seed, latency_ms}, sitesim::site_path(i)).bytes;
    return bytes;
}

void skip_test(const std::string& reason) {
    std::cout << skip_marker << reason << std::endl;
}

std::uint64_t expected_hash(const std::string& path, std::size_t bytes) {
    return sitesim::expected_body_hash(path, bytes);
}

std::string path_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (slash == std::string::npos) return "/";
    const auto query = url.find('?', slash);
    return url.substr(slash, query == std::string::npos ? std::string::npos : query - slash);
}

void ensure_curl_global() {
    static tour::CurlGlobal curl;  // lives until the test program exits
}

}  // namespace tour_test
