// Chapter 4: one io_context run by several threads, and a strand. Python's counterpart is
// `await loop.run_in_executor(pool, work, page)` from an asyncio program: the loop keeps
// waiting for sockets while a pool computes.
//
// Three kinds of state, three rules:
//  * the libcurl multi handle (inside AsyncHttpClient): not thread-safe. Every one of the
//    bridge's handlers touches it, so they all run on one thread: the bridge gets an io_context
//    of its own, `net`, run by this thread alone;
//  * a page's CPU work touches nothing shared: it may run on any thread, several at once;
//  * the tally (digest, finish order, threads seen) is shared by every page's work: its
//    updates go through a strand, which runs them one at a time, on whichever thread is free.
#include "threaded_loop.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <set>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/strand.hpp>
#include <asio/this_coro.hpp>

#include "async_http_client.hpp"
#include "event_loop.hpp"
#include "loop_stop.hpp"
#include "common/hash.hpp"

namespace threaded_loop {

std::uint64_t process_page(std::uint64_t body_hash, std::uint64_t rounds) {
    std::uint64_t x = body_hash;
    for (std::uint64_t r = 0; r < rounds; ++r) x = tour::mix(x);
    return x;
}

namespace {

// What every page's coroutine and handlers share. Lives in download_and_process's frame, which
// outlives both loops.
struct Stage {
    asio::io_context& cpu;                                   // the CPU threads' queue
    asio::strand<asio::io_context::executor_type> tally;     // the tally's updates, one at a time
    std::uint64_t rounds;
    tour::Progress& progress;
    event_loop::LoopStop& loop_stop;                         // the network side's stop: loop thread only
    const tour::RunStop& stop;                               // what the CPU threads ask: thread-safe
    Outcome& out;
    std::set<std::thread::id> threads_seen;  // touched only on `tally`, like out.digest
};

// [docs:work_unless_stopped]
// No cancellation reaches into a running handler: Asio cancels operations, and a computation is
// not one. So the work asks the stop itself, between slices of rounds (process_page of a slice,
// then of the next, is process_page of both): a stop waits for at most one slice per thread.
constexpr std::uint64_t rounds_per_check = 100'000;  // well under a millisecond

std::optional<std::uint64_t> work_unless_stopped(std::uint64_t hash, std::uint64_t rounds, const tour::RunStop& stop) {
    std::uint64_t x = hash;
    for (std::uint64_t done = 0; done < rounds; done += rounds_per_check) {
        if (stop.stop_requested()) return std::nullopt;
        x = process_page(x, std::min(rounds_per_check, rounds - done));
    }
    return x;
}
// [/docs:work_unless_stopped]

// [docs:fetch_then_process]
asio::awaitable<void> fetch_then_process(event_loop::AsyncHttpClient& client, std::string url, std::size_t index,
                                         Stage& stage) {
    co_await asio::this_coro::throw_if_cancelled(false);  // a stop is a result (event_loop.cpp's lane)
    // (An if, not `?:`: g++ 12 miscompiles a co_await inside a conditional expression.)
    tour::FetchResult result;
    if (stage.loop_stop.stop_requested()) {
        result = tour::cancelled(url, stage.stop.reason());  // stopped before it started
    } else {
        result = co_await client.async_get(std::move(url));  // on the network thread
        stage.loop_stop.label(result);
    }
    if (result.ok()) {
        // Hand the page to the CPU threads; this coroutine finishes at once, and the network
        // thread goes back to waiting on sockets (and, held, for the signals and the deadline:
        // they must be able to stop the work too).
        stage.loop_stop.hold();
        asio::post(stage.cpu, [&stage, index, hash = result.body_hash] {
            // Any CPU thread, several pages at the same time: touches nothing shared.
            const std::optional<std::uint64_t> digest = work_unless_stopped(hash, stage.rounds, stage.stop);
            // The tally is shared: through the strand, never two updates at once, no lock.
            asio::post(stage.tally, [&stage, index, digest, who = std::this_thread::get_id()] {
                if (digest) {
                    stage.out.digest += *digest;
                    stage.out.finish_order.push_back(index);
                    stage.threads_seen.insert(who);
                } else {
                    ++stage.out.work_stopped;
                }
                stage.loop_stop.release();  // posted to the network loop: the last one lets it end
            });
        });
    }
    stage.progress.completed(result);  // with --fail-fast, a failure requests the stop here
    stage.out.results[index] = std::move(result);  // only the network thread writes results
}
// [/docs:fetch_then_process]

}  // namespace

// [docs:download_and_process]
Outcome download_and_process(const std::vector<std::string>& urls, const tour::FetchOptions& options, int threads,
                             std::uint64_t rounds, tour::RunStop& stop, std::optional<tour::Clock::duration> deadline,
                             tour::Progress& progress) {
    Outcome out;
    out.results.resize(urls.size());
    out.finish_order.reserve(urls.size());

    // The CPU side: ONE io_context, run by `threads` threads. A handler posted to it runs on
    // whichever thread is free, so two handlers may run at the same time.
    asio::io_context cpu(threads);
    // The network side: the bridge on an io_context of its own, run by this thread alone, and
    // its stop (the signals, the deadline, a cancellation slot per coroutine: loop_stop.hpp).
    asio::io_context net(1);
    event_loop::AsyncHttpClient client(net, options);
    event_loop::LoopStop loop_stop(net, stop, deadline, urls.size());
    Stage stage{cpu, asio::make_strand(cpu), rounds, progress, loop_stop, stop, out, {}};
    std::vector<std::jthread> pool;
    // Without queued work, run() returns at once; the guard keeps the threads in run() until
    // every page has been fetched. Declared after `pool`, so it is released before the joins.
    auto keep_running = asio::make_work_guard(cpu);
    for (int t = 0; t < threads; ++t) pool.emplace_back([&cpu] { cpu.run(); });

    std::exception_ptr failure;
    for (std::size_t i = 0; i < urls.size(); ++i) loop_stop.spawn(fetch_then_process(client, urls[i], i, stage), failure);
    loop_stop.all_spawned();
    net.run();             // every page fetched (or cancelled), and its work done or stopped
    keep_running.reset();  // now run() returns once the queue is empty...
    pool.clear();          // ...and the joins wait for that: every page's work and tally update
    if (failure) std::rethrow_exception(failure);
    out.work_threads = stage.threads_seen.size();
    return out;
}
// [/docs:download_and_process]

}  // namespace threaded_loop
