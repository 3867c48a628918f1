#include "simulator/sitesim_process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <system_error>

#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#include "common/posix.hpp"
#include "simulator/site_model.hpp"

namespace tour {
namespace {

// Read one line from `fd`, waiting at most `timeout` in total. Returns what was read (possibly
// without '\n' when the writer closed early or time ran out).
std::string read_first_line(int fd, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string line;
    while (line.find('\n') == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) break;
        char buffer[256];
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // sitesim exited (or closed stdout) before saying where it listens
        line.append(buffer, static_cast<std::size_t>(n));
    }
    return line;
}

// Waits until child `pid` has exited (without reaping it), at most `limit`; false if it is still
// running. A pidfd becomes readable when its process exits, so this returns the moment sitesim
// is gone. A loop that sleeps and checks again would add up to one sleep to every run that
// starts the simulator, which the fastest runs (chapter 4's) would show in their times.
bool exits_within(pid_t pid, std::chrono::milliseconds limit) {
    // syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C", so its pidfd_open does not link from C++.
    const Fd process(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    // ESRCH: reaped already, nothing to wait for. Otherwise (ENOSYS before Linux 5.3) say "still
    // running": the caller then kills it, which sitesim survives no worse (it keeps no state).
    if (!process) return errno == ESRCH;
    pollfd p{process.get(), POLLIN, 0};
    int ready;
    do ready = ::poll(&p, 1, static_cast<int>(limit.count()));
    while (ready < 0 && errno == EINTR);
    return ready > 0;
}

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

// A small blocking GET whose body we keep (HttpSession only counts bytes).
std::string get_text(const std::string& url) {
    CURL* handle = curl_easy_init();
    if (handle == nullptr) throw std::runtime_error("curl_easy_init failed");
    std::string body;
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, append_to_string);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, static_cast<void*>(&body));
    const CURLcode code = curl_easy_perform(handle);
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(handle);
    if (code != CURLE_OK || status != 200) {
        throw std::runtime_error("GET " + url + " failed: " + (code != CURLE_OK ? curl_easy_strerror(code) : "HTTP " + std::to_string(status)));
    }
    return body;
}

}  // namespace

std::filesystem::path default_sitesim_path() {
    // Programs live in build/<chapter>/ and sitesim in build/simulator/: look there first, so a
    // moved build directory still works; then where this build put it.
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const char* relative : {"../simulator/sitesim", "../../simulator/sitesim"}) {
            const auto candidate = self.parent_path() / relative;
            if (std::filesystem::exists(candidate, ec)) return candidate.lexically_normal();
        }
    }
    return TOUR_SITESIM_PATH;
}

SiteSimulator::SiteSimulator(Config config) : config_(std::move(config)) {
    std::vector<std::string> args = {config_.executable.string(),
                                     "--port", std::to_string(config_.port),
                                     "--seed", std::to_string(config_.seed),
                                     "--latency-ms", std::to_string(config_.latency_ms),
                                     // sitesim ends when we do, however we end: see tour::die_with_parent
                                     "--parent-pid", std::to_string(::getpid())};
    args.insert(args.end(), config_.extra_args.begin(), config_.extra_args.end());

    auto [read_end, write_end] = make_pipe();

    // sitesim's stdout becomes the pipe (dup2 clears O_CLOEXEC on fd 1); its stderr is ours, so
    // its error messages reach the user directly.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
    try {
        // posix_spawn, not fork: safe in a process that runs threads. In a process group of its
        // own: a signal to our group (Ctrl-C, a closed terminal, `timeout`) is ours to handle;
        // we stop sitesim after our graceful stop, and it ends anyway when we do.
        pid_ = spawn(args, &actions, tour::ProcessGroup::own);
    } catch (const std::system_error& e) {
        posix_spawn_file_actions_destroy(&actions);
        throw std::runtime_error("cannot start the site simulator " + config_.executable.string() + ": " +
                                 e.code().message() + " (build it: cmake --build build --target sitesim)");
    }
    posix_spawn_file_actions_destroy(&actions);
    write_end.close();  // only sitesim writes now: EOF tells us when it exits

    const std::string line = read_first_line(read_end.get(), std::chrono::seconds(10));
    const auto at = line.find("http://");
    const auto colon = at == std::string::npos ? std::string::npos : line.find(':', at + 7);
    if (colon != std::string::npos) {
        port_ = static_cast<std::uint16_t>(std::strtoul(line.c_str() + colon + 1, nullptr, 10));
    }
    if (port_ == 0) {
        ::kill(pid_, SIGKILL);
        const int status = reap(std::exchange(pid_, -1));
        throw std::runtime_error("the site simulator did not start: sitesim " + describe_wait_status(status) +
                                 (line.empty() ? "" : " after printing: " + line));
    }
}

namespace {
SiteSimulator::Config config_for(std::uint64_t seed, int latency_ms) {
    SiteSimulator::Config config;
    config.seed = seed;
    config.latency_ms = latency_ms;
    return config;
}
}  // namespace

SiteSimulator::SiteSimulator(std::uint64_t seed, int latency_ms) : SiteSimulator(config_for(seed, latency_ms)) {}

SiteSimulator::~SiteSimulator() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    // Give it 5 s to shut down cleanly, then insist. Either way, reap it: no zombie is left.
    if (!exits_within(pid_, std::chrono::seconds(5))) ::kill(pid_, SIGKILL);
    try {
        reap(pid_);
    } catch (const std::system_error&) {  // already reaped by someone else: nothing left to do
    }
}

std::string SiteSimulator::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> SiteSimulator::urls(std::size_t count) const {
    std::vector<std::string> list;
    list.reserve(count);
    for (std::size_t i = 0; i < count; ++i) list.push_back(base_url() + sitesim::site_path(i));
    return list;
}

nlohmann::json SiteSimulator::stats() const { return nlohmann::json::parse(get_text(base_url() + "/__stats")); }

void SiteSimulator::reset_stats() const { get_text(base_url() + "/__reset"); }

}  // namespace tour
