// Chapter 4: the event loop. Python's asyncio version, in Real Python's outline (neither it nor
// the demo reads a body: content_length is only the header, and the demo's
// len(response.content) raises TypeError on aiohttp's StreamReader, hidden by gather's
// return_exceptions=True; see docs/04-asio.md):
//
//     async def download_site(session, url):
//         async with session.get(url) as response:
//             print("Read {0} from {1}".format(response.content_length, url))
//
//     async def download_all_sites(sites):
//         async with aiohttp.ClientSession() as session:
//             tasks = [asyncio.ensure_future(download_site(session, url)) for url in sites]
//             await asyncio.gather(*tasks, return_exceptions=True)
//
// One thread. While a request waits for the network, its coroutine is suspended at co_await
// and the thread runs whatever else is ready: other coroutines, other sockets.
#include "event_loop.hpp"

#include <algorithm>
#include <exception>
#include <ostream>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "common/posix.hpp"  // cap_by_open_files

#include "async_http_client.hpp"
#include "loop_stop.hpp"

namespace event_loop {

namespace {

// [docs:lane]
// What every lane shares. Lives in download_all's frame, which outlives the loop.
struct Lanes {
    AsyncHttpClient& client;
    const std::vector<std::string>& urls;
    std::size_t next = 0;  // the next unclaimed index
    std::vector<tour::FetchResult>& results;
    tour::Progress& progress;
    LoopStop& stop;
};

// A lane fetches URLs one after another, taking the next unclaimed index each time. Without a
// cap there are as many lanes as URLs, so each lane fetches exactly one: a coroutine per URL.
//
// The reference is safe only because download_all does not return before io.run() has
// finished every lane: a coroutine keeps references, not copies, across its suspensions.
asio::awaitable<void> lane(Lanes& run, int lane_id) {
    // A stop cancels this coroutine through its cancellation slot (LoopStop::spawn). It is a
    // result here, not an exception: async_get returns "cancelled", and no new URL starts.
    co_await asio::this_coro::throw_if_cancelled(false);
    // `next` is shared by every lane without a lock: all lanes run on this one thread, and
    // none is suspended between reading and incrementing it (no co_await in between).
    while (!run.stop.stop_requested() && run.next < run.urls.size()) {
        const std::size_t i = run.next++;
        tour::FetchResult result = co_await run.client.async_get(run.urls[i]);  // suspends here
        run.stop.label(result);  // cancelled: say why ("cancelled (deadline)")
        result.worker = lane_id;
        run.progress.completed(result);  // with --fail-fast, a failure requests the stop here
        run.results[i] = std::move(result);
    }
}
// [/docs:lane]

// [docs:start_lanes]
// Starts the lanes from inside the loop, a few per turn of it. Starting a transfer is a burst
// of work (an easy handle, a socket, a connect, the request sent), and thousands started back
// to back are a stretch in which the loop reads no page that has already arrived, while every
// transfer holds its memory. Yielding after every few, like `await asyncio.sleep(0)`, lets the
// loop finish pages between starts. Nothing is capped: every lane still starts, as fast as the
// loop can start them. Why 8, with the figures: docs/deep/04-10000-transfers.md.
constexpr std::size_t lanes_per_turn = 8;

asio::awaitable<void> start_lanes(asio::io_context& io, std::size_t lanes, Lanes& run, std::exception_ptr& failure) {
    for (std::size_t l = 0; l < lanes && !run.stop.stop_requested(); ++l) {
        run.stop.spawn(lane(run, static_cast<int>(l)), failure);  // co_spawn, with a cancellation slot
        if ((l + 1) % lanes_per_turn == 0) co_await asio::post(io, asio::use_awaitable);  // yield to the loop
    }
    run.stop.all_spawned();
}
// [/docs:start_lanes]

}  // namespace

// [docs:download_all]
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options,
                                            std::size_t max_in_flight, tour::RunStop& stop,
                                            std::optional<tour::Clock::duration> deadline, tour::Progress& progress) {
    // Declared before the io_context, so they outlive every coroutine that refers to them.
    std::vector<tour::FetchResult> results(urls.size());
    std::exception_ptr failure;  // the first exception a coroutine ended with

    const std::size_t lanes = max_in_flight == 0 ? urls.size() : std::min(max_in_flight, urls.size());
    asio::io_context io(1);  // the event loop; the hint says one thread will run it
    // Like aiohttp.ClientSession: one for all requests. A lane per URL has no connection to
    // reuse (they all start at about the same time) and none worth keeping: each gets its own.
    AsyncHttpClient client(io, options, lanes == urls.size() ? Connections::one_per_request : Connections::reuse);
    LoopStop loop_stop(io, stop, deadline, lanes);  // the signals, the deadline, a slot per lane
    Lanes run{client, urls, 0, results, progress, loop_stop};

    asio::co_spawn(io, start_lanes(io, lanes, run, failure), KeepFirstFailure{failure});
    io.run();  // the loop: returns when every lane has finished
    if (failure) std::rethrow_exception(failure);
    for (std::size_t i = run.next; i < urls.size(); ++i) {  // never started: the run was stopped
        results[i] = tour::cancelled(urls[i], stop.reason());
        progress.completed(results[i]);
    }
    return results;
}
// [/docs:download_all]

std::size_t in_flight_cap(int workers, std::size_t url_count, std::ostream& err) {
    return tour::cap_by_open_files(workers, url_count, 1, "04_asio", err);  // a socket each; 0: no cap
}

}  // namespace event_loop
