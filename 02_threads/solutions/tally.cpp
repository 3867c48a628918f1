// Exercise 2.1, a worked answer: each thread sums into a Tally of its own, on its own stack, and
// writes it once, when it is done, to its slot; the slots are added up after join(). While the
// threads run they share nothing that anyone writes, so there is nothing to lock and nothing to
// race on; join() makes each thread's writes visible here. (Summing straight into the slots would
// be correct too, but neighbouring slots share a cache line, which then bounces between the cores
// on every increment: false sharing, chapter 5. std::atomic counters with fetch_add would also be
// correct, with every increment fighting over one cache line; a mutex around the three updates
// would be correct and slower still.)
#include "tally.hpp"

#include <thread>

namespace exercise {

Tally tally_in_parallel(const std::vector<tour::FetchResult>& results, int threads) {
    std::vector<Tally> partial(static_cast<std::size_t>(threads));  // slot t: written once, by thread t
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&results, &partial, t, threads] {
                Tally mine;  // on this thread's stack: no other thread writes anywhere near it
                for (auto i = static_cast<std::size_t>(t); i < results.size(); i += static_cast<std::size_t>(threads)) {
                    const tour::FetchResult& result = results[i];
                    if (result.ok()) {
                        ++mine.ok;
                    } else {
                        ++mine.failed;
                    }
                    mine.bytes += result.bytes;
                }
                partial[static_cast<std::size_t>(t)] = mine;  // one write to shared memory
            });
        }
    }  // the jthreads join here: from now on this thread may read every slot
    Tally total;
    for (const Tally& p : partial) {
        total.ok += p.ok;
        total.failed += p.failed;
        total.bytes += p.bytes;
    }
    return total;
}

}  // namespace exercise
