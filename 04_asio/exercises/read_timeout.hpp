// Exercise 4.5: a deadline for a whole reply, read from a raw socket. (Do not edit this header;
// answer in read_timeout.cpp.)
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

namespace exercise {

// Read from the connected `socket` until the peer closes the connection, and return every
// byte that arrived. If the whole reply has not arrived `timeout` after the call, give up:
// close the socket (the peer sees the connection end) and return std::nullopt. A peer that
// sends one byte now and then, for ever, is given up on too. Nothing may block the loop.
asio::awaitable<std::optional<std::string>> read_reply(asio::ip::tcp::socket& socket, std::chrono::milliseconds timeout);

}  // namespace exercise
