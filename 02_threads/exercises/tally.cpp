// Exercise 2.1: find and fix the data race. Read tally.hpp for the contract.
//
// This compiles, runs, and is wrong: the threads below update `total` at the same time.
//  1. See it:   ./tour.sh check ch02 tally        (the totals come out short)
//  2. Ask TSan: cmake --preset tsan && cmake --build --preset tsan --target exercise_ch02_tally
//               && ./build-tsan/02_threads/exercise_ch02_tally
//     ThreadSanitizer names the two conflicting accesses and the threads that made them.
//  3. Fix it. Keep the threads. One hint at a time: ./tour.sh hint ch02 tally
#include "tally.hpp"

#include <thread>

namespace exercise {

Tally tally_in_parallel(const std::vector<tour::FetchResult>& results, int threads) {
    Tally total;  // shared by every thread below, with no synchronisation: the bug
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&results, &total, t, threads] {
                for (auto i = static_cast<std::size_t>(t); i < results.size(); i += static_cast<std::size_t>(threads)) {
                    const tour::FetchResult& result = results[i];
                    // TODO: make the totals exact, and keep the work on `threads` threads. These
                    //       read-modify-writes of shared variables race: `++x` is three steps (read
                    //       x, add 1, write x) and another thread can run between them. yield()
                    //       only widens the gap, so that the bug shows on every run instead of
                    //       once a month in production.
                    if (result.ok()) {
                        const std::size_t seen = total.ok;
                        std::this_thread::yield();
                        total.ok = seen + 1;
                    } else {
                        const std::size_t seen = total.failed;
                        std::this_thread::yield();
                        total.failed = seen + 1;
                    }
                    total.bytes += result.bytes;
                }
            });
        }
    }  // the jthreads join here
    return total;
}

}  // namespace exercise
