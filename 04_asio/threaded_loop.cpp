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

#include <exception>
#include <set>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/strand.hpp>

#include "async_http_client.hpp"
#include "event_loop.hpp"
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
    Outcome& out;
    std::set<std::thread::id> threads_seen;  // touched only on `tally`, like out.digest
};

// [docs:fetch_then_process]
asio::awaitable<void> fetch_then_process(event_loop::AsyncHttpClient& client, std::string url, std::size_t index,
                                         Stage& stage) {
    tour::FetchResult result = co_await client.async_get(std::move(url));  // on the network thread
    if (result.ok()) {
        // Hand the page to the CPU threads; this coroutine finishes at once, and the network
        // thread goes back to waiting on sockets.
        asio::post(stage.cpu, [&stage, index, hash = result.body_hash] {
            // Any CPU thread, several pages at the same time: touches nothing shared.
            const std::uint64_t digest = process_page(hash, stage.rounds);
            // The tally is shared: through the strand, never two updates at once, no lock.
            asio::post(stage.tally, [&stage, index, digest, who = std::this_thread::get_id()] {
                stage.out.digest += digest;
                stage.out.finish_order.push_back(index);
                stage.threads_seen.insert(who);
            });
        });
    }
    stage.progress.completed(result);
    stage.out.results[index] = std::move(result);  // only the network thread writes results
}
// [/docs:fetch_then_process]

}  // namespace

// [docs:download_and_process]
Outcome download_and_process(const std::vector<std::string>& urls, const tour::FetchOptions& options, int threads,
                             std::uint64_t rounds, tour::Progress& progress) {
    Outcome out;
    out.results.resize(urls.size());
    out.finish_order.reserve(urls.size());

    // The CPU side: ONE io_context, run by `threads` threads. A handler posted to it runs on
    // whichever thread is free, so two handlers may run at the same time.
    asio::io_context cpu(threads);
    Stage stage{cpu, asio::make_strand(cpu), rounds, progress, out, {}};
    std::vector<std::jthread> pool;
    // Without queued work, run() returns at once; the guard keeps the threads in run() until
    // every page has been fetched. Declared after `pool`, so it is released before the joins.
    auto keep_running = asio::make_work_guard(cpu);
    for (int t = 0; t < threads; ++t) pool.emplace_back([&cpu] { cpu.run(); });

    // The network side: the bridge on an io_context of its own, run by this thread alone.
    asio::io_context net(1);
    event_loop::AsyncHttpClient client(net, options);
    std::exception_ptr failure;
    for (std::size_t i = 0; i < urls.size(); ++i) {
        asio::co_spawn(net, fetch_then_process(client, urls[i], i, stage), event_loop::KeepFirstFailure{failure});
    }
    net.run();             // every page fetched, and its work queued
    keep_running.reset();  // now run() returns once the queue is empty...
    pool.clear();          // ...and the joins wait for that: every page's work and tally update
    if (failure) std::rethrow_exception(failure);
    out.work_threads = stage.threads_seen.size();
    return out;
}
// [/docs:download_and_process]

}  // namespace threaded_loop
