// Chapter 4's stop: how an event loop ends a run early (--deadline, SIGINT/SIGTERM, --fail-fast)
// in Asio's own terms. 04_asio (event_loop.cpp) and 04_asio_threads (threaded_loop.cpp) use it;
// docs/deep/04-stopping.md explains it.
#pragma once

#include <cstddef>
#include <exception>
#include <optional>
#include <stop_token>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

#include "common/fetch.hpp"
#include "common/stop.hpp"

namespace event_loop {

// [docs:loop_stop]
// A run's stop, on the loop: made before the coroutines it stops, used only by the thread that
// runs `io` (RunStop itself may be asked to stop from any thread).
//  * Three things request the stop: one signal_set for SIGINT and SIGTERM, a steady_timer for
//    the deadline, and (--fail-fast) Progress::completed on the first failure.
//  * Whoever requests it, every lane's cancellation_signal is then emitted: the operation each
//    lane is suspended in ends at once (AsyncHttpClient::async_get: "cancelled", out of curl).
//  * When the last lane has finished, the signal_set and the timer are closed: nothing is left
//    pending, so io.run() returns by itself, with every lane's result in place.
class LoopStop {
public:
    LoopStop(asio::io_context& io, tour::RunStop& stop, std::optional<tour::Clock::duration> deadline,
             std::size_t max_lanes);
    LoopStop(const LoopStop&) = delete;
    LoopStop& operator=(const LoopStop&) = delete;

    // co_spawn `lane` on the loop with a cancellation slot of its own bound to its completion
    // handler, which keeps its exception (KeepFirstFailure) and counts it finished.
    void spawn(asio::awaitable<void> lane, std::exception_ptr& failure);
    // No lane will be spawned any more: once those spawned have finished, the loop may end.
    void all_spawned();

    // Other work the stop must keep watching for until it is done (04_asio_threads: a page's CPU
    // work, on other threads): hold() on the loop's thread, release() from any thread.
    void hold() { ++running_; }
    void release();

    bool stop_requested() const { return stop_.stop_requested(); }
    // A result async_get cancelled gets the run's reason: "cancelled (deadline)", and so on.
    void label(tour::FetchResult& result) const;

private:
    struct CancelLanes {  // std::stop_callback's: from the requesting thread, posts cancel_lanes
        LoopStop* self;
        void operator()() const;
    };
    void on_signal(asio::error_code ec, int signal);
    void cancel_lanes();
    void lane_finished();
    void close();

    asio::io_context& io_;
    tour::RunStop& stop_;
    asio::signal_set signals_;
    asio::steady_timer deadline_;
    std::vector<asio::cancellation_signal> lanes_;  // one per lane: a signal has room for one handler
    std::size_t spawned_ = 0, running_ = 0;
    bool all_spawned_ = false;
    std::stop_callback<CancelLanes> on_stop_;  // last: registered once the rest exists
};
// [/docs:loop_stop]

}  // namespace event_loop
