// Test helpers for sitesim: start the real binary, talk raw HTTP to it over plain POSIX sockets
// (deliberately not libcurl: these tests must not depend on the client code under test).
// Everything has a timeout, so no test can hang.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>

namespace simtest {

using namespace std::chrono_literals;

// A sitesim process: posix_spawn'ed, stdout and stderr piped. The destructor sends SIGTERM and
// reaps it (SIGKILL after 5 s), so no test leaves a server or a zombie behind.
class Sitesim {
public:
    explicit Sitesim(std::vector<std::string> args = {"--latency-ms", "5"});
    ~Sitesim();
    Sitesim(const Sitesim&) = delete;
    Sitesim& operator=(const Sitesim&) = delete;

    const std::string& first_line() const { return first_line_; }
    std::uint16_t port() const { return port_; }  // 0 when it did not start
    pid_t pid() const { return pid_; }

    // Send `signal` and wait (at most `limit`) for the exit; returns the raw wait status, or -1.
    int stop(int signal, std::chrono::milliseconds limit = 5000ms);
    // Wait (at most `limit`) for an exit without signalling; -1 on timeout.
    int wait(std::chrono::milliseconds limit = 5000ms);
    // What it wrote after the first line (stdout) and to stderr, read until EOF (after exit).
    std::string rest_of_stdout();
    std::string all_stderr();

private:
    pid_t pid_ = -1;
    int out_ = -1, err_ = -1;
    std::string first_line_;
    std::uint16_t port_ = 0;
};

struct Response {
    int status = 0;  // 0: no status line arrived
    std::map<std::string, std::string> headers;  // names lowercased
    std::string body;
    std::size_t content_length = 0;
    bool complete = false;  // the whole Content-Length arrived
    std::string raw;        // everything read, head included (for garbage checks)
};

// A TCP connection to 127.0.0.1:port with 5 s send/receive timeouts.
class Connection {
public:
    explicit Connection(std::uint16_t port, const char* address = "127.0.0.1");
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool connected() const { return connected_; }
    int fd() const { return fd_; }
    bool send(const std::string& data);
    // "GET target HTTP/1.1" with Host (and Connection: close when !keep_alive).
    bool send_get(const std::string& target, bool keep_alive = true, const std::string& method = "GET");
    // Read one response (the head, then Content-Length bytes, or until EOF/timeout).
    Response read_response(bool has_body = true);
    // Read until EOF, an error or `limit`; `error` gets errno of a failed read (0 for EOF/timeout).
    std::string read_all(std::chrono::milliseconds limit, int* error = nullptr, bool* eof = nullptr);
    // Bytes available within `limit` (at most `max`): reads what has arrived, without waiting for more.
    std::string read_some(std::chrono::milliseconds limit, std::size_t max = 65536);
    void close();

private:
    int fd_ = -1;
    bool connected_ = false;
    std::string pending_;  // read past the end of the previous response
};

// One request on its own connection.
Response get(std::uint16_t port, const std::string& target);
nlohmann::json stats(std::uint16_t port);
void reset(std::uint16_t port);

}  // namespace simtest
