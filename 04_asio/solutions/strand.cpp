// Exercise 4.4, solved: the work runs on any thread of the io_context; each result is posted
// to a strand, which runs its handlers one at a time (on whichever thread is free), so record()
// never overlaps itself. No lock: the strand is a queue, not a mutex, and no thread ever waits
// for another to leave record().
#include "strand.hpp"

#include <thread>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/strand.hpp>

namespace exercise {

void process_all(int threads, std::size_t count, const std::function<std::uint64_t(std::size_t)>& work,
                 const std::function<void(std::size_t, std::uint64_t)>& record) {
    asio::io_context io(threads);
    auto serial = asio::make_strand(io);  // the record() calls' own queue
    for (std::size_t i = 0; i < count; ++i) {
        asio::post(io, [&work, &record, &serial, i] {
            const std::uint64_t result = work(i);                       // any thread, in parallel
            asio::post(serial, [&record, i, result] { record(i, result); });  // one at a time
        });
    }
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back([&io] { io.run(); });
}  // the jthreads join here: every handler, the strand's included, has run

}  // namespace exercise
