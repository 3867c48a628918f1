// Exercise 5.2, a worked answer: one fetch_add claims `chunk` numbers, [n, n + chunk).
#include "chunks.hpp"

#include <algorithm>

namespace exercise {

ChunkedResult one_thread(std::atomic<std::uint64_t>& next, cpu::Task range, std::uint64_t chunk) {
    ChunkedResult mine;
    for (std::uint64_t n = next.fetch_add(chunk); n < range.last; n = next.fetch_add(chunk)) {
        mine.total += cpu::count_primes({n, std::min(n + chunk, range.last)});  // the last may be short
        ++mine.claims;
    }
    return mine;
}

}  // namespace exercise
