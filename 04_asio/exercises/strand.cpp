// Exercise 4.4: one io_context, several threads, and a call that must not run twice at once.
// process_all runs every item's work on an io_context that `threads` threads run, which is what
// we want: the work is independent and may use every core. But each handler then calls
// record(), which is not thread-safe, and on several threads two record() calls can overlap.
// TODO: make the record() calls run one at a time, while work() still runs on several threads
//       at once. Constraint: no mutex, no atomic: use an Asio strand (asio::make_strand).
// Check your work: ./tour.sh check ch04 strand
// Stuck? 04_asio/exercises/HINTS.md.
//
// (Python's asyncio has one thread, so it needs no strand; its loop.run_in_executor hands the
// result back to that one thread, which is the same idea.)
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
    for (std::size_t i = 0; i < count; ++i) {
        asio::post(io, [&work, &record, i] {
            const std::uint64_t result = work(i);  // fine on any thread, at any time
            record(i, result);                     // not thread-safe: may overlap another call
        });
    }
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back([&io] { io.run(); });
}  // the jthreads join here: every handler has run

}  // namespace exercise
