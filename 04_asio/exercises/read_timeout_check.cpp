// The check for exercise 4.5: three small servers on 127.0.0.1, in the check's own io_context:
// one replies and closes, one never says a word, one sends a byte every 20 ms for ever. The
// check gives read_reply 2 s on its own timer (not a watchdog), then says what did not happen.
// Whether the peer saw its connection closed is counted at the server side.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "exercise_check.hpp"
#include "read_timeout.hpp"

using namespace std::chrono_literals;
using asio::ip::tcp;

namespace {

enum class Peer { replies, silent, drips };

struct Outcome {
    bool returned = false;               // read_reply came back within the check's 2 s
    std::optional<std::string> reply;    // what it returned
    bool socket_open = true;             // the client's socket, after it returned
    bool server_saw_close = false;       // the server side saw the connection end
};

asio::awaitable<void> serve(tcp::acceptor& acceptor, Peer peer, Outcome& out) {
    tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
    asio::error_code ec;
    if (peer == Peer::replies) {
        co_await asio::async_write(s, asio::buffer(std::string_view("hello, reader")), asio::redirect_error(asio::use_awaitable, ec));
        s.close();
    } else if (peer == Peer::silent) {
        char c;
        co_await s.async_read_some(asio::buffer(&c, 1), asio::redirect_error(asio::use_awaitable, ec));
        out.server_saw_close = ec == asio::error::eof || ec == asio::error::connection_reset;
    } else {
        asio::steady_timer tick(s.get_executor());
        for (;;) {
            tick.expires_after(20ms);
            co_await tick.async_wait(asio::use_awaitable);
            co_await asio::async_write(s, asio::buffer(std::string_view(".")), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;  // the client closed: the write fails (broken pipe, reset)
        }
        out.server_saw_close = true;
    }
}

Outcome talk_to(Peer peer, std::chrono::milliseconds timeout) {
    asio::io_context io(1);
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    Outcome out;
    asio::co_spawn(io, serve(acceptor, peer, out), asio::detached);
    tcp::socket socket(io);
    asio::steady_timer patience(io, 2s);  // the check's own limit, far beyond the timeouts asked for
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await socket.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
            out.reply = co_await exercise::read_reply(socket, timeout);
            out.returned = true;
            out.socket_open = socket.is_open();
            patience.expires_after(200ms);  // time for the server to see the close
        },
        [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
    // Fires after 2 s (read_reply did not come back: stop here), or 200 ms after read_reply
    // returned (re-set above, which cancels this wait once: then wait again).
    std::function<void(asio::error_code)> on_patience = [&](asio::error_code ec) {
        if (ec == asio::error::operation_aborted) return patience.async_wait(on_patience);
        io.stop();
    };
    patience.async_wait(on_patience);
    io.run();
    return out;
}

}  // namespace

TEST_CASE("a server that replies and closes: the whole reply") {
    const Outcome got = talk_to(Peer::replies, 1000ms);
    REQUIRE_MESSAGE(got.returned, "read_reply(a server that replies at once, timeout 1 s) had not returned after 2 s");
    CHECK(got.reply == std::optional<std::string>("hello, reader"));
}

TEST_CASE("a server that never answers: given up after the timeout, socket closed") {
    const Outcome got = talk_to(Peer::silent, 100ms);
    REQUIRE_MESSAGE(got.returned, "read_reply(a server that never sends a byte, timeout 100 ms) had not returned "
                                  "after 2 s: the read waits for bytes that never come. Race it against a timer.");
    CHECK_MESSAGE(got.reply == std::nullopt, "a reply that never came must be std::nullopt");
    CHECK_MESSAGE(!got.socket_open, "after the timeout the socket must be closed");
    CHECK_MESSAGE(got.server_saw_close, "the server did not see its connection closed");
}

TEST_CASE("a server that drips a byte every 20 ms: the timeout is for the whole reply, not for each read") {
    const Outcome got = talk_to(Peer::drips, 200ms);
    REQUIRE_MESSAGE(got.returned, "read_reply(a server that sends a byte every 20 ms for ever, timeout 200 ms) had "
                                  "not returned after 2 s: no single read waits 200 ms here. The deadline must "
                                  "count from the call, for every read together (one timer, set once).");
    CHECK_MESSAGE(got.reply == std::nullopt, "a reply that never ended must be std::nullopt");
    CHECK_MESSAGE(!got.socket_open, "after the timeout the socket must be closed");
    CHECK_MESSAGE(got.server_saw_close, "the server did not see its connection closed");
}
