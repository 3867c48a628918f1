// Exercise 4.4, solved: each item is a relay between two executors. begin runs on the strand,
// which posts the work to the io_context (any thread, in parallel), which posts end back to the
// strand. A strand runs its handlers one at a time, on whichever thread is free, so begin and end
// never overlap. No lock: the strand is a queue, not a mutex, and no thread waits for another.
#include "strand.hpp"

#include <thread>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/strand.hpp>

namespace exercise {

void process_all(int threads, std::size_t count, const std::function<void(std::size_t)>& begin,
                 const std::function<std::uint64_t(std::size_t)>& work,
                 const std::function<void(std::size_t, std::uint64_t)>& end) {
    asio::io_context io(threads);
    auto books = asio::make_strand(io);  // the book-keeping's own queue
    for (std::size_t i = 0; i < count; ++i) {
        asio::post(books, [&, i] {
            begin(i);
            asio::post(io, [&, i] {
                const std::uint64_t result = work(i);                         // any thread, in parallel
                asio::post(books, [&end, i, result] { end(i, result); });   // back to the books
            });
        });
    }
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back([&io] { io.run(); });
}  // the jthreads join here: every handler, the strand's included, has run

}  // namespace exercise
