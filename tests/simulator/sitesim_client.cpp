#include "sitesim_client.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace simtest {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::max<long long>(left, 0));
}

// Read what arrives on `fd` until `done(text)` or EOF or the deadline.
template <typename Done>
void read_until(int fd, std::string& text, Clock::time_point deadline, Done done, int* error = nullptr,
                bool* eof = nullptr) {
    while (!done(text)) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return;  // timeout
        char buffer[16384];
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && error != nullptr) *error = errno;
        if (n == 0 && eof != nullptr) *eof = true;
        if (n <= 0) return;
        text.append(buffer, static_cast<std::size_t>(n));
    }
}

std::string read_to_eof(int fd) {
    std::string text;
    if (fd >= 0) read_until(fd, text, Clock::now() + 2s, [](const std::string&) { return false; });
    return text;
}

}  // namespace

Sitesim::Sitesim(std::vector<std::string> args) {
    args.insert(args.begin(), SITESIM_PATH);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    const int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    out_ = out[0];
    err_ = err[0];
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error(std::string("posix_spawn sitesim: ") + std::strerror(rc));
    }
    // The first line, at most 10 s (sanitizer builds start slowly), byte by byte so that
    // nothing after it is consumed.
    const auto deadline = Clock::now() + 10s;
    while (first_line_.empty() || first_line_.back() != '\n') {
        pollfd p{out_, POLLIN, 0};
        if (::poll(&p, 1, remaining_ms(deadline)) <= 0) break;
        char c;
        if (::read(out_, &c, 1) != 1) break;
        first_line_ += c;
    }
    const auto at = first_line_.find("http://127.0.0.1:");
    if (at != std::string::npos) port_ = static_cast<std::uint16_t>(std::atoi(first_line_.c_str() + at + 17));
}

Sitesim::~Sitesim() {
    if (pid_ > 0 && stop(SIGTERM) == -1) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
    if (err_ >= 0) ::close(err_);
}

int Sitesim::stop(int signal, std::chrono::milliseconds limit) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    return wait(limit);
}

int Sitesim::wait(std::chrono::milliseconds limit) {
    if (pid_ <= 0) return -1;
    const auto deadline = Clock::now() + limit;
    do {
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            pid_ = -1;
            return status;
        }
        std::this_thread::sleep_for(5ms);
    } while (Clock::now() < deadline);
    return -1;
}

std::string Sitesim::rest_of_stdout() { return read_to_eof(out_); }
std::string Sitesim::all_stderr() { return read_to_eof(err_); }

Connection::Connection(std::uint16_t port, const char* address) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    ::inet_pton(AF_INET, address, &server.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0;
}

Connection::~Connection() { close(); }

void Connection::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool Connection::send(const std::string& data) {
    for (std::size_t done = 0; done < data.size();) {
        const ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool Connection::send_get(const std::string& target, bool keep_alive, const std::string& method) {
    return send(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: simulator_test\r\n" +
                (keep_alive ? "" : "Connection: close\r\n") + "\r\n");
}

Response Connection::read_response(bool has_body) {
    Response r;
    std::string text = std::move(pending_);
    pending_.clear();
    const auto deadline = Clock::now() + 5s;
    read_until(fd_, text, deadline, [](const std::string& t) { return t.find("\r\n\r\n") != std::string::npos; });
    const auto head_end = text.find("\r\n\r\n");
    if (head_end == std::string::npos || text.rfind("HTTP/1.1 ", 0) != 0) {
        r.raw = text;
        return r;
    }
    r.status = std::atoi(text.c_str() + 9);
    for (std::size_t pos = text.find("\r\n") + 2; pos < head_end;) {
        const auto end = text.find("\r\n", pos);
        const auto line = text.substr(pos, end - pos);
        pos = end + 2;
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        auto name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    r.content_length = has_body && r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    const std::size_t total = head_end + 4 + r.content_length;
    read_until(fd_, text, deadline, [&](const std::string& t) { return t.size() >= total; });
    r.complete = text.size() >= total;
    r.raw = text.substr(0, std::min(total, text.size()));
    r.body = r.raw.substr(head_end + 4);
    if (text.size() > total) pending_ = text.substr(total);
    return r;
}

std::string Connection::read_all(std::chrono::milliseconds limit, int* error, bool* eof) {
    std::string text = std::move(pending_);
    pending_.clear();
    if (error != nullptr) *error = 0;
    if (eof != nullptr) *eof = false;
    read_until(fd_, text, Clock::now() + limit, [](const std::string&) { return false; }, error, eof);
    return text;
}

std::string Connection::read_some(std::chrono::milliseconds limit, std::size_t max) {
    std::string text;
    read_until(fd_, text, Clock::now() + limit, [&](const std::string& t) { return !t.empty() || t.size() >= max; });
    return text;
}

Response get(std::uint16_t port, const std::string& target) {
    Connection c(port);
    c.send_get(target, false);
    return c.read_response();
}

nlohmann::json stats(std::uint16_t port) {
    const auto r = get(port, "/__stats");
    if (r.status != 200 || !r.complete) throw std::runtime_error("GET /__stats failed: " + r.raw);
    return nlohmann::json::parse(r.body);
}

void reset(std::uint16_t port) {
    if (get(port, "/__reset").status != 200) throw std::runtime_error("GET /__reset failed");
}

}  // namespace simtest
