// sitesim's connections: what every coroutine of the server shares (the counters and limits in
// Server), one accepted socket with its watchdog deadline (Connection), and the few ways a
// coroutine writes to a socket or waits. Used by the server (sitesim.cpp: routing, sessions,
// accepting) and by the fault injection (faults.cpp: the answers that go wrong on purpose).
//
// Everything here runs on sitesim's ONE thread: no two coroutines ever run at the same time, so
// the counters are plain integers and nothing races.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "simulator/site_model.hpp"

namespace sitesim {

using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

inline constexpr auto idle_timeout = std::chrono::seconds(60);  // an idle keep-alive connection is closed after this

// What /__stats reports: the tests read each client model's real concurrency there.
struct Stats {
    std::uint64_t requests = 0, faults = 0, connections_accepted = 0;
    std::uint64_t in_flight = 0, peak_in_flight = 0, connections = 0, peak_connections = 0;

    void reset() {  // peaks restart from what is happening now
        requests = faults = connections_accepted = 0;
        peak_in_flight = in_flight;
        peak_connections = connections;
    }
};

// Everything the coroutines share. main creates it before the io_context, so it outlives every
// coroutine frame (the io_context destroys unfinished ones when it is destroyed).
struct Server {
    SiteParams params;
    std::size_t max_connections = 20000;
    std::size_t open_sockets = 0;  // every socket, also observers polling /__stats
    Stats stats;
};

// A request is in flight from its parsed head until its response is written or abandoned:
// RAII counts it whichever way the coroutine leaves.
class InFlight {
public:
    explicit InFlight(Stats& stats) : stats_(stats) {
        stats_.peak_in_flight = std::max(stats_.peak_in_flight, ++stats_.in_flight);
    }
    ~InFlight() { --stats_.in_flight; }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

private:
    Stats& stats_;
};

// One accepted socket. Its session coroutine and its watchdog coroutine each hold a shared_ptr,
// so it lives until both have finished; the socket is closed when the last one lets go.
struct Connection {
    Connection(tcp::socket s, Server& server) : socket(std::move(s)), watchdog(socket.get_executor()), server(server) {
        ++server.open_sockets;
    }
    ~Connection() {
        --server.open_sockets;
        if (is_client) --server.stats.connections;
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // The watchdog closes the socket at `deadline`; a session moves it as it makes progress.
    void expire_after(Clock::duration limit) {
        deadline = Clock::now() + limit;
        if (deadline < watchdog.expiry()) watchdog.cancel();  // wake it to re-arm earlier
    }
    // Counted in the stats from its first page request, not at accept: a test polling /__stats
    // on its own connection must not disturb what it measures.
    void count_as_client() {
        if (is_client) return;
        is_client = true;
        Stats& s = server.stats;
        ++s.connections_accepted;
        s.peak_connections = std::max(s.peak_connections, ++s.connections);
    }

    tcp::socket socket;
    asio::steady_timer watchdog;
    Clock::time_point deadline = Clock::now() + idle_timeout;
    Server& server;
    bool is_client = false;
    std::string received;  // bytes read but not parsed yet (a pipelined request may wait here)
};

// Writes all of `data`; false if the client has gone (an error is a value here, not an
// exception: a client that goes away is normal life for a server). Progress moves the deadline.
asio::awaitable<bool> write(Connection& c, std::string_view data);

// Waits `delay` on a timer: the loop serves the other connections meanwhile.
asio::awaitable<void> pause(std::chrono::milliseconds delay);

// "HTTP/1.1 200 OK\r\n...\r\n\r\n": a response's status line and headers.
std::string response_head(int status, std::string_view type, std::size_t length, bool keep_alive,
                          std::string_view location = {});

// Sends body bytes [from, to) of `path` in chunks, generated as they go (pages are never stored).
asio::awaitable<bool> write_body(Connection& c, std::string_view path, std::size_t from, std::size_t to);

// Waits until the client closes its side (or the watchdog ends the wait), discarding its bytes.
asio::awaitable<void> drain_until_closed(Connection& c);

}  // namespace sitesim
