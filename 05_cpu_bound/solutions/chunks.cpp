// Exercise 5.2, solved: chunk the work.
// Check: ctest --preset ci -R ch05_chunks (CI builds this file as solution.ch05_chunks)
//
// One fetch_add now hands out `chunk` numbers, so the shared counter is touched
// size / chunk times instead of size times. Chunks that are too big bring back the other
// problem: with 20 chunks and 3 threads, one thread gets the last chunk alone while the
// others idle (the tail). Pick chunks small enough for balance, big enough to amortise.
#include "chunks.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace exercise {

ChunkedResult count_chunked(cpu::Task range, int threads, std::uint64_t chunk) {
    std::atomic<std::uint64_t> next{range.first};
    std::vector<ChunkedResult> per_thread(static_cast<std::size_t>(threads));
    {
        std::vector<std::jthread> pool;
        for (auto& mine : per_thread) {
            pool.emplace_back([&next, &mine, range, chunk] {
                // Count in a local and write the shared slot once: the slots sit side by side in
                // one vector, and writing them in the loop would be false sharing (exercise 5.1).
                ChunkedResult local;
                for (std::uint64_t n = next.fetch_add(chunk); n < range.last; n = next.fetch_add(chunk)) {
                    local.total += cpu::count_primes({n, std::min(n + chunk, range.last)});
                    ++local.claims;
                }
                mine = local;
            });
        }
    }
    ChunkedResult result;
    for (const auto& mine : per_thread) {
        result.total += mine.total;
        result.claims += mine.claims;
    }
    return result;
}

}  // namespace exercise
