// Chapter 4's smallest complete event loop: the shape of the Python demo's asyncio version,
//
//     async def download_site(session, url): ...            # one coroutine per URL
//     async with aiohttp.ClientSession() as session:
//         tasks = [asyncio.ensure_future(download_site(session, url)) for url in sites]
//         await asyncio.gather(*tasks, return_exceptions=True)
//
// in C++: an io_context, a client, a co_spawn per URL, io.run().
#include "small.hpp"

#include <exception>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

namespace event_loop::small {

// [docs:small]
// One coroutine per URL. At co_await it is suspended, and the thread runs the others.
asio::awaitable<void> download_site(AsyncHttpClient& client, std::string url, tour::FetchResult& result) {
    result = co_await client.async_get(std::move(url));
}

std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls) {
    std::vector<tour::FetchResult> results(urls.size());  // declared first: outlives every coroutine
    asio::io_context io;                                  // the event loop
    AsyncHttpClient client(io, tour::FetchOptions{});     // like aiohttp.ClientSession
    for (std::size_t i = 0; i < urls.size(); ++i) {       // like ensure_future, once per URL
        asio::co_spawn(io, download_site(client, urls[i], results[i]),
                       [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
    }
    io.run();  // like gather: returns when every coroutine has finished
    return results;
}
// [/docs:small]

}  // namespace event_loop::small
