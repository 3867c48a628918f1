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
#include <asio/use_awaitable.hpp>

#include "common/posix.hpp"  // open_file_limit

#include "async_http_client.hpp"

namespace event_loop {

namespace {

// [docs:lane]
// A lane fetches URLs one after another, taking the next unclaimed index each time. Without a
// cap there are as many lanes as URLs, so each lane fetches exactly one: a coroutine per URL.
//
// The references are safe only because download_all does not return before io.run() has
// finished every lane: a coroutine keeps references, not copies, across its suspensions.
asio::awaitable<void> lane(AsyncHttpClient& client, const std::vector<std::string>& urls,
                           std::size_t& next, std::vector<tour::FetchResult>& results,
                           tour::Progress& progress, int lane_id) {
    // `next` is shared by every lane without a lock: all lanes run on this one thread, and
    // none is suspended between reading and incrementing it (no co_await in between).
    while (next < urls.size()) {
        const std::size_t i = next++;
        tour::FetchResult result = co_await client.async_get(urls[i]);  // suspends here
        result.worker = lane_id;
        progress.completed(result);
        results[i] = std::move(result);
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

asio::awaitable<void> start_lanes(asio::io_context& io, std::size_t lanes, AsyncHttpClient& client,
                                  const std::vector<std::string>& urls, std::size_t& next,
                                  std::vector<tour::FetchResult>& results, tour::Progress& progress,
                                  std::exception_ptr& failure) {
    for (std::size_t l = 0; l < lanes; ++l) {
        // co_spawn only schedules the coroutine: it runs when the loop gets to it.
        asio::co_spawn(io, lane(client, urls, next, results, progress, static_cast<int>(l)),
                       KeepFirstFailure{failure});
        if ((l + 1) % lanes_per_turn == 0) co_await asio::post(io, asio::use_awaitable);  // yield to the loop
    }
}
// [/docs:start_lanes]

}  // namespace

// [docs:download_all]
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls,
                                            const tour::FetchOptions& options,
                                            std::size_t max_in_flight, tour::Progress& progress) {
    // Declared before the io_context, so they outlive every coroutine that refers to them.
    std::vector<tour::FetchResult> results(urls.size());
    std::size_t next = 0;
    std::exception_ptr failure;  // the first exception a coroutine ended with

    const std::size_t lanes = max_in_flight == 0 ? urls.size() : std::min(max_in_flight, urls.size());
    asio::io_context io(1);  // the event loop; the hint says one thread will run it
    // Like aiohttp.ClientSession: one for all requests. A lane per URL has no connection to
    // reuse (they all start at about the same time) and none worth keeping: each gets its own.
    AsyncHttpClient client(io, options, lanes == urls.size() ? Connections::one_per_request : Connections::reuse);

    asio::co_spawn(io, start_lanes(io, lanes, client, urls, next, results, progress, failure),
                   KeepFirstFailure{failure});
    io.run();  // the loop: returns when every lane has finished
    if (failure) std::rethrow_exception(failure);
    return results;
}
// [/docs:download_all]

std::size_t connection_budget() {
    const std::size_t soft = tour::open_file_limit();
    return soft > descriptor_reserve ? soft - descriptor_reserve : 0;
}

std::size_t in_flight_cap(int workers, std::size_t url_count, std::ostream& err) {
    const std::size_t wanted = workers <= 0 ? url_count : std::min(static_cast<std::size_t>(workers), url_count);
    const std::size_t budget = std::max<std::size_t>(connection_budget(), 1);
    if (wanted <= budget) return workers <= 0 ? 0 : wanted;
    err << "04_asio: the open-file limit allows about " << budget << " connections at once, fewer than the "
        << wanted << " requested: capping requests in flight at " << budget
        << " (raise the hard limit, e.g. `ulimit -Hn`, to lift the cap)\n";
    return budget;
}

}  // namespace event_loop
