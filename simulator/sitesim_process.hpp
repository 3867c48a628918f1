// Starting sitesim as a separate process and talking to it: the client half of the simulator's
// interface (the "listening on http://127.0.0.1:PORT" line, --parent-pid, /__stats), kept beside
// the server that defines it. The download programs reach it through tour::select_sites
// (simulator/sites.hpp); compare and the tests use it directly, to read the server's counters.
//
// Why a process and not a thread: chapter 3 forks, and fork() is only safe in a process with
// one thread. sitesim is started with posix_spawn, which is safe from any process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>  // stats(): only who reads the counters includes this header

namespace tour {

// The sitesim executable this build made: beside the program's own build directory.
std::filesystem::path default_sitesim_path();

class SiteSimulator {
public:
    struct Config {
        std::uint64_t seed = 1;
        int latency_ms = 150;
        std::uint16_t port = 0;  // 0: let the kernel pick a free one
        std::filesystem::path executable = default_sitesim_path();
        std::vector<std::string> extra_args;
    };

    // Start sitesim and wait (at most 10 s) for the line that tells its port. Throws
    // std::runtime_error with sitesim's reason when it does not start.
    explicit SiteSimulator(Config config);
    // The common case: a simulator on a free port with this seed and mean latency.
    SiteSimulator(std::uint64_t seed, int latency_ms);
    // SIGTERM, then wait for it (SIGKILL after 5 s): no zombie is left behind. When this process
    // ends without running the destructor (a signal, _exit), sitesim ends too: it is started with
    // --parent-pid and asks the kernel for SIGTERM when its parent dies (PR_SET_PDEATHSIG).
    ~SiteSimulator();
    SiteSimulator(const SiteSimulator&) = delete;
    SiteSimulator& operator=(const SiteSimulator&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }
    std::string base_url() const;  // "http://127.0.0.1:PORT"
    // The first `count` site URLs: base_url() + sitesim::site_path(i).
    std::vector<std::string> urls(std::size_t count) const;
    // GET /__stats (requests, peak in flight, connections, ...) and /__reset.
    nlohmann::json stats() const;
    void reset_stats() const;

private:
    Config config_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace tour
