// Chapter 4's stop (loop_stop.hpp). Every handler here runs on the loop's thread: the
// signal_set's and the timer's completions, the posted cancel_lanes, the lanes' completions.
#include "loop_stop.hpp"

#include <csignal>

#include <asio/bind_cancellation_slot.hpp>
#include <asio/co_spawn.hpp>
#include <asio/post.hpp>

#include "async_http_client.hpp"  // cancelled_error
#include "common/posix.hpp"        // die_by
#include "event_loop.hpp"          // KeepFirstFailure

namespace event_loop {

// [docs:stop_sources]
LoopStop::LoopStop(asio::io_context& io, tour::RunStop& stop, std::optional<tour::Clock::duration> deadline,
                   std::size_t max_lanes)
    : io_(io), stop_(stop), signals_(io, SIGINT, SIGTERM), deadline_(io), lanes_(max_lanes),
      on_stop_(stop.token(), CancelLanes{this}) {
    // asio::signal_set installs a handler that only writes the signal's number to a pipe the
    // loop watches (async-signal-safe); the completion below then runs on the loop, like any other.
    signals_.async_wait([this](asio::error_code ec, int signal) { on_signal(ec, signal); });
    if (deadline) {
        deadline_.expires_after(*deadline);
        deadline_.async_wait([this](asio::error_code ec) {
            if (!ec) stop_.request(tour::StopReason::deadline);  // ec: closed, the run ended first
        });
    }
}

void LoopStop::on_signal(asio::error_code ec, int signal) {
    if (ec) return;  // closed: the run ended first
    // A second signal that arrived meanwhile is queued in the set: this wait takes it at once.
    signals_.async_wait([](asio::error_code again_ec, int again) {
        if (!again_ec) tour::die_by(again);  // the second: end now, as the user asks
    });
    // Then the set lets go of both: their default action is back, so a later second signal ends
    // the process at once, even if the loop were stuck in a handler that does not return.
    signals_.clear();
    stop_.request(signal == SIGINT ? tour::StopReason::interrupted : tour::StopReason::terminated);
}
// [/docs:stop_sources]

// [docs:cancel_lanes]
// RunStop::request runs the stop_callback on the thread that asked, maybe not the loop's (and
// maybe inside a lane): a cancellation_signal belongs to the loop, so the emits are posted to it.
void LoopStop::CancelLanes::operator()() const {
    asio::post(self->io_, [s = self] { s->cancel_lanes(); });
}

void LoopStop::cancel_lanes() {
    // Terminal cancellation of every lane: the one awaiting async_get gets "cancelled" at once;
    // one that has finished, or never started, ignores it. None starts another URL: they check
    // stop_requested() first.
    for (auto& lane : lanes_) lane.emit(asio::cancellation_type::terminal);
}

void LoopStop::spawn(asio::awaitable<void> lane, std::exception_ptr& failure) {
    asio::cancellation_signal& signal = lanes_.at(spawned_++);
    ++running_;
    asio::co_spawn(io_, std::move(lane),
                   asio::bind_cancellation_slot(signal.slot(), [this, keep = KeepFirstFailure{failure}](std::exception_ptr e) {
                       keep(e);
                       lane_finished();
                   }));
}
// [/docs:cancel_lanes]

void LoopStop::all_spawned() {
    all_spawned_ = true;
    if (running_ == 0) close();
}

void LoopStop::release() {
    asio::post(io_, [this] { lane_finished(); });
}

void LoopStop::lane_finished() {
    if (--running_ == 0 && all_spawned_) close();
}

// The run is over: nothing may keep the loop waiting. Closing the set also gives SIGINT and
// SIGTERM their default action back (a Ctrl-C while the report is written ends the program).
void LoopStop::close() {
    signals_.clear();
    signals_.cancel();
    deadline_.cancel();
}

void LoopStop::label(tour::FetchResult& result) const {
    if (result.error != cancelled_error || stop_.reason() == tour::StopReason::none) return;
    result.cancelled = stop_.reason();
    result.error = tour::cancelled_text(result.cancelled);
}

}  // namespace event_loop
