// Exercise 4.4: one io_context, several threads, and book-keeping that must not run twice at once.
// process_all runs every item on an io_context that `threads` threads run, which is what we
// want for work(): it is independent and may use every core. But begin() and end() keep shared
// books, and on several threads two of their calls can overlap.
// TODO: make the begin() and end() calls run one at a time (never two at once, whichever item
//       they are for), while work() still runs on several threads at once. Constraint: no
//       mutex, no atomic, no waiting: an Asio strand (asio::make_strand).
// Check your work: ./tour.sh check ch04 strand     One hint at a time: ./tour.sh hint ch04 strand
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

void process_all(int threads, std::size_t count, const std::function<void(std::size_t)>& begin,
                 const std::function<std::uint64_t(std::size_t)>& work,
                 const std::function<void(std::size_t, std::uint64_t)>& end) {
    asio::io_context io(threads);
    for (std::size_t i = 0; i < count; ++i) {
        asio::post(io, [&begin, &work, &end, i] {
            begin(i);                              // not thread-safe: may overlap another begin or end
            const std::uint64_t result = work(i);  // fine on any thread, at any time
            end(i, result);                        // not thread-safe either
        });
    }
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back([&io] { io.run(); });
}  // the jthreads join here: every handler has run

}  // namespace exercise
