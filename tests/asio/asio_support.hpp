// Helpers for chapter 4's tests: run one coroutine to completion, and check a result against
// the simulator's model.
#pragma once

#include <chrono>
#include <exception>
#include <optional>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <doctest/doctest.h>

#include "common/fetch.hpp"
#include "simulator/sitesim_process.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"

namespace asio_test {

// A simulator configuration (spelled out: designated initializers that skip members warn).
inline tour::SiteSimulator::Config sim_config(std::uint64_t seed, int latency_ms) {
    tour::SiteSimulator::Config config;
    config.seed = seed;
    config.latency_ms = latency_ms;
    return config;
}

// Run `work` on `io` until the loop is idle; return its value or rethrow its exception.
template <typename T>
T run_until_done(asio::io_context& io, asio::awaitable<T> work) {
    std::optional<T> value;
    std::exception_ptr failure;
    asio::co_spawn(io, std::move(work), [&](std::exception_ptr e, T v) {
        failure = e;
        if (!e) value = std::move(v);
    });
    io.restart();
    io.run();
    if (failure) std::rethrow_exception(failure);
    REQUIRE(value.has_value());
    return std::move(*value);
}

inline asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::use_awaitable);
}

// The result is a success with exactly the simulator's bytes for site `path`.
inline void check_page(const tour::FetchResult& result, const sitesim::SiteParams& params, const std::string& path) {
    CAPTURE(result.url);
    REQUIRE_MESSAGE(result.ok(), result.error);
    const auto spec = sitesim::page_spec(params, path);
    CHECK(result.http_status == 200);
    CHECK(result.bytes == spec.bytes);
    CHECK(result.body_hash == tour_test::expected_hash(path, spec.bytes));
}

}  // namespace asio_test
