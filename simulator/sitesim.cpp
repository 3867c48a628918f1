// sitesim: the tour's offline internet. An HTTP/1.1 server on ONE thread, written with Asio and
// C++20 coroutines. Each connection is a coroutine that reads like blocking code, yet thousands
// of them share the thread: every co_await hands it back to the event loop, which runs whichever
// connection can make progress. That is chapter 4's model, seen from the server's side.
//
// Why one thread: it is the point of an event loop, and it keeps the statistics honest and
// simple (plain integers: no two coroutines ever run at the same time, so nothing races).
#include <algorithm>
#include <array>
#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/options.hpp"
#include "common/posix.hpp"
#include "simulator/connection.hpp"
#include "simulator/faults.hpp"
#include "simulator/request.hpp"

namespace {

using namespace sitesim;
using namespace std::chrono_literals;
constexpr auto use_awaitable = asio::use_awaitable;

constexpr auto linger_limit = 2s;  // how long a closing connection may drain the client's bytes

nlohmann::json to_json(const Stats& s) {
    return {{"requests", s.requests},       {"in_flight", s.in_flight},
            {"peak_in_flight", s.peak_in_flight}, {"connections", s.connections},
            {"peak_connections", s.peak_connections}, {"connections_accepted", s.connections_accepted},
            {"faults", s.faults}};
}

// Reads until a whole request head has arrived. HeadStatus::incomplete here means the
// connection ended first (the client closed, or the watchdog did).
asio::awaitable<sitesim::HeadParse> read_request_head(Connection& c) {
    std::array<char, 2048> chunk;  // small: thousands of idle connections each hold one
    for (;;) {
        auto parsed = sitesim::parse_request_head(c.received);
        if (parsed.status == sitesim::HeadStatus::complete) c.received.erase(0, parsed.consumed);
        if (parsed.status != sitesim::HeadStatus::incomplete) co_return parsed;
        std::error_code ec;
        const std::size_t n = co_await c.socket.async_read_some(asio::buffer(chunk), asio::redirect_error(use_awaitable, ec));
        if (ec) co_return sitesim::HeadParse{};
        c.received.append(chunk.data(), n);
    }
}

// An orderly close: send FIN, then read until the client's FIN. Closing with unread bytes in
// the socket would make the kernel send a reset, which can destroy our last response (say, a
// 431) before the client has read it.
asio::awaitable<void> close_gracefully(Connection& c) {
    std::error_code ec;
    c.socket.shutdown(tcp::socket::shutdown_send, ec);
    if (!ec) {
        c.expire_after(linger_limit);
        co_await drain_until_closed(c);
    }
    c.socket.close(ec);
}

// Completes when the client has gone: its FIN makes the socket readable with nothing to read
// (or the read fails: a reset, or the watchdog closed it). Bytes waiting there instead are a
// pipelined next request, left for the session: then this waits until it is cancelled.
asio::awaitable<void> until_client_leaves(Connection& c) {
    std::error_code ec;
    co_await c.socket.async_wait(tcp::socket::wait_read, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    char byte = 0;
    const auto n = ::recv(c.socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n <= 0) co_return;  // 0: an orderly close; -1: a reset (EAGAIN cannot be: it was readable)
    asio::steady_timer never(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
    co_await never.async_wait(asio::redirect_error(use_awaitable, ec));
}

// Serves one page request (with its fault, from faults.cpp, if it asks for one). Returns whether
// the connection may serve another.
asio::awaitable<bool> serve_page(Connection& c, const RequestHead& head, const PageRequest& page) {
    using namespace asio::experimental::awaitable_operators;
    Stats& stats = c.server.stats;
    c.count_as_client();
    ++stats.requests;
    if (page.fault != Fault::none) ++stats.faults;
    InFlight in_flight(stats);

    c.expire_after(page.delay + idle_timeout);
    // The site's latency, unless the client gives up first (its deadline, a Ctrl-C): then the
    // request is abandoned at once, as a server that watches its sockets does, so /__stats shows
    // when a client let go, not when the page would have been ready.
    const auto waited = co_await (pause(page.delay) || until_client_leaves(c));
    if (waited.index() == 1) co_return false;

    if (page.fault != Fault::none) co_return co_await serve_fault(c, head, page);  // faults.cpp

    const bool send_body = head.method != "HEAD";
    const auto headers = response_head(page.status, "text/plain", page.bytes, head.keep_alive);
    if (!co_await write(c, headers)) co_return false;
    if (send_body && !co_await write_body(c, page.path, 0, page.bytes)) co_return false;
    co_return head.keep_alive;
}

// Answers one request. Returns whether the connection may serve another.
asio::awaitable<bool> respond(Connection& c, const sitesim::RequestHead& head) {
    const bool send_body = head.method != "HEAD";
    const auto path = std::string_view(head.target).substr(0, head.target.find('?'));
    if (path == "/__stats" || path == "/__reset") {  // observers: not counted as requests
        if (path == "/__reset") c.server.stats.reset();
        const auto body = (path == "/__reset" ? nlohmann::json{{"reset", true}} : to_json(c.server.stats)).dump();
        const auto response = response_head(200, "application/json", body.size(), head.keep_alive) + (send_body ? body : "");
        co_return co_await write(c, response) && head.keep_alive;
    }
    const auto parsed = sitesim::parse_page_request(c.server.params, head.target);
    if (!parsed.error.empty()) {  // a bad override: the connection itself is fine
        const auto body = parsed.error + "\n";
        const auto response = response_head(400, "text/plain", body.size(), head.keep_alive) + (send_body ? body : "");
        co_return co_await write(c, response) && head.keep_alive;
    }
    co_return co_await serve_page(c, head, parsed.page);
}

// One connection: requests one after another (HTTP/1.1 keep-alive) until either side ends it.
asio::awaitable<void> session(std::shared_ptr<Connection> c) {
    for (bool keep_alive = true; keep_alive;) {
        c->expire_after(idle_timeout);
        const auto parsed = co_await read_request_head(*c);
        if (parsed.status == sitesim::HeadStatus::incomplete) break;  // the connection ended
        if (parsed.status != sitesim::HeadStatus::complete) {
            const bool too_large = parsed.status == sitesim::HeadStatus::too_large;
            const auto body = parsed.error + "\n";
            const auto response = response_head(too_large ? 431 : 400, "text/plain", body.size(), false) + body;
            co_await write(*c, response);
            break;
        }
        keep_alive = co_await respond(*c, parsed.head);
    }
    co_await close_gracefully(*c);
    c->watchdog.cancel();  // let the watchdog see the closed socket and finish
}

// Closes the socket once its deadline has passed; the session's pending read or write then
// fails and the session ends. The session moves the deadline on whenever it makes progress.
asio::awaitable<void> watchdog(std::shared_ptr<Connection> c) {
    while (c->socket.is_open()) {
        c->watchdog.expires_at(c->deadline);
        std::error_code ec;
        co_await c->watchdog.async_wait(asio::redirect_error(use_awaitable, ec));
        if (Clock::now() >= c->deadline) c->socket.close(ec);
    }
}

// co_spawn's completion handler for connections: a bug in one connection is reported, loudly,
// and the server goes on (asio::detached would swallow the exception silently).
void log_exception(std::exception_ptr error) {
    if (!error) return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        std::cerr << "sitesim: a connection failed: " << e.what() << '\n';
    }
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, Server& server) {
    const auto executor = co_await asio::this_coro::executor;
    while (acceptor.is_open()) {
        if (server.open_sockets >= server.max_connections) {  // full: leave clients in the backlog
            co_await pause(10ms);
            continue;
        }
        std::error_code ec;
        tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec == asio::error::operation_aborted) break;  // shutting down
        if (ec) {  // e.g. EMFILE: out of descriptors. Wait for some to be freed instead of spinning.
            std::cerr << "sitesim: accept failed: " << ec.message() << '\n';
            co_await pause(100ms);
            continue;
        }
        // A response goes out as several writes (head, then body chunks). With Nagle's algorithm
        // on, a small write waits for the ACK of the previous one, and the client delays that ACK
        // (by up to 40 ms) hoping to piggy-back it: every keep-alive request after the first
        // would pay ~40 ms. Web servers turn Nagle off; so do we.
        socket.set_option(tcp::no_delay(true), ec);
        auto connection = std::make_shared<Connection>(std::move(socket), server);
        asio::co_spawn(executor, session(connection), log_exception);
        asio::co_spawn(executor, watchdog(connection), log_exception);
    }
}

std::string url_host(const asio::ip::address& address) {
    return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

// --parent-pid must name our parent: any other pid would end us at once, without a word
// (die_with_parent sees that our parent is not that process, as if it had died). 0: none given.
bool parent_pid_is_ours(pid_t parent_pid) {
    if (parent_pid == 0 || parent_pid == ::getppid()) return true;
    const bool exists = ::kill(parent_pid, 0) == 0 || errno == EPERM;
    std::cerr << "sitesim: --parent-pid " << parent_pid << ": "
              << (exists ? "not sitesim's parent (that is process " + std::to_string(::getppid()) + ")"
                         : std::string("no such process"))
              << "; give the pid of the program that starts sitesim, or leave the option out\n";
    return false;
}

std::error_code start_listening(tcp::acceptor& acceptor, const std::string& bind_address, std::uint16_t port) {
    std::error_code ec;
    const auto address = asio::ip::make_address(bind_address, ec);
    const tcp::endpoint endpoint(address, port);
    if (!ec) acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    return ec;
}

}  // namespace

int main(int argc, char** argv) {
    std::uint16_t port = 0;
    std::string bind_address = "127.0.0.1";
    Server server;  // before the io_context: it must outlive every coroutine (see Server)

    CLI::App app{"sitesim: the tour's offline internet, an HTTP/1.1 server with simulated latency and faults", "sitesim"};
    // Numbers go through the shared checks (common/options.hpp): decimal only (CLI11 alone reads
    // "010" as octal 8), the seed without a silent wrap, ranges that say what they are.
    app.add_option("--port", port, "TCP port (0: let the kernel pick a free one)")
        ->transform(tour::finite_number)->check(CLI::Range(0, 65535))->capture_default_str();
    app.add_option("--bind", bind_address, "address to listen on")->capture_default_str();
    app.add_option("--seed", server.params.seed, "seed of the site model, 0 to 18446744073709551615")
        ->transform(tour::unsigned_64)->capture_default_str();
    app.add_option("--latency-ms", server.params.mean_latency_ms, "mean page latency in ms")
        ->transform(tour::finite_number)
        ->check(CLI::Range(0, 3'600'000))->capture_default_str();
    app.add_option("--max-connections", server.max_connections, "open connections at most")
        ->transform(tour::finite_number)
        ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))->capture_default_str();
    pid_t parent_pid = 0;
    app.add_option("--parent-pid", parent_pid,
                   "End (SIGTERM) when the process with this pid, our parent, ends: a program that starts sitesim "
                   "passes its own pid, so no sitesim outlives it")
        ->transform(tour::finite_number)
        ->check(CLI::Range(1, 4'194'304));  // Linux's largest pid_max
    tour::add_version_flag(app);
    if (const auto exit_now = tour::parse_command_line(app, argc, argv)) return *exit_now;  // --help, or bad usage

    if (!parent_pid_is_ours(parent_pid)) return 2;

    // SIGTERM when the program that started us dies, even by SIGKILL: the signal_set below
    // turns it into an orderly stop. (Before that exists, its default action ends us as well.)
    if (parent_pid > 0) tour::die_with_parent(parent_pid, SIGTERM);
    std::signal(SIGPIPE, SIG_IGN);  // a vanished client is an error code on write, not death
    tour::raise_open_file_limit();  // thousands of connections need thousands of descriptors

    asio::io_context io(1);  // one thread runs the loop
    tcp::acceptor acceptor(io);
    if (const std::error_code ec = start_listening(acceptor, bind_address, port)) {
        std::cerr << "sitesim: cannot listen on " << bind_address << ":" << port << ": " << ec.message() << '\n';
        return 2;
    }
    // The one line on stdout: whoever started us reads the port from it.
    const auto local = acceptor.local_endpoint();
    std::cout << "sitesim listening on http://" << url_host(local.address()) << ":" << local.port() << "/ (seed "
              << server.params.seed << ", mean latency " << server.params.mean_latency_ms << " ms)" << std::endl;

    // SIGTERM/SIGINT arrive as ordinary completions on the loop: stop accepting, stop the loop.
    // Started for a program (--parent-pid), we ignore SIGINT: a terminal's Ctrl-C reaches its
    // whole process group, us too, and the program's first Ctrl-C is a graceful stop that cancels
    // its requests itself; dying with them would turn them into connection failures. The
    // program ends us (SIGTERM) when it is done, or by dying.
    if (parent_pid > 0) std::signal(SIGINT, SIG_IGN);
    asio::signal_set signals(io, SIGTERM);
    if (parent_pid == 0) signals.add(SIGINT);
    signals.async_wait([&](const std::error_code&, int) {
        acceptor.close();
        io.stop();
    });
    // The accept loop must not fail; if it does, rethrow out of io.run() and exit non-zero.
    asio::co_spawn(io, accept_loop(acceptor, server), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    });
    try {
        io.run();
    } catch (const std::exception& e) {
        std::cerr << "sitesim: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
