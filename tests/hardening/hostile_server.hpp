// hostile_server.py as a real process on 127.0.0.1: started in the constructor, stopped by its
// PID (SIGTERM, then reaped) in the destructor.
#pragma once

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <string>

#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/posix.hpp"

namespace tour_test {

class HostileServer {
public:
    HostileServer() {
        auto [read_end, write_end] = tour::make_pipe();
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
        pid_ = tour::spawn({"/usr/bin/python3", std::string(TOUR_SOURCE_DIR) + "/tests/hardening/hostile_server.py",
                            "--lifetime", "600"},
                           &actions);
        posix_spawn_file_actions_destroy(&actions);
        write_end.close();
        std::string line;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
            pollfd p{read_end.get(), POLLIN, 0};
            if (::poll(&p, 1, 200) <= 0) continue;
            char c[64];
            const ssize_t n = ::read(read_end.get(), c, sizeof c);
            if (n <= 0) break;
            line.append(c, static_cast<std::size_t>(n));
        }
        if (line.find('\n') == std::string::npos) {
            stop();
            throw std::runtime_error("hostile_server.py did not say its port");
        }
        port_ = std::stoi(line);
    }
    ~HostileServer() { stop(); }
    HostileServer(const HostileServer&) = delete;
    HostileServer& operator=(const HostileServer&) = delete;

    int port() const { return port_; }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

private:
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        tour::reap(pid_);
        pid_ = -1;
    }
    pid_t pid_ = -1;
    int port_ = 0;
};

}  // namespace tour_test
