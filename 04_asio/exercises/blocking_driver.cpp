// Exercise 4.2, already written: a coroutine per URL on one io_context, exactly like 04_asio.
// Compiled with your blocking.cpp (and with the worked answer in CI): nothing to change here.
#include "blocking.hpp"

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

namespace exercise {

std::vector<tour::FetchResult> fetch_all(const std::vector<std::string>& urls, const tour::FetchOptions& options) {
    std::vector<tour::FetchResult> results(urls.size());
    asio::io_context io(1);
    event_loop::AsyncHttpClient client(io, options);
    for (std::size_t i = 0; i < urls.size(); ++i) {
        asio::co_spawn(io, fetch_one(client, options, urls[i], results[i]), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);  // out of io.run(), to our caller
        });
    }
    io.run();
    return results;
}

}  // namespace exercise
