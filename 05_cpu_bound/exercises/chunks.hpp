// Exercise 5.2: chunking. (Do not edit this header; answer in chunks.cpp.)
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "workload.hpp"

namespace exercise {

struct ChunkedResult {
    cpu::TaskResult total;   // the primes (and their checksum) in the whole range
    std::size_t claims = 0;  // how many times a thread took work from the shared counter
};

// Count the primes in `range` with `threads` threads. The threads take work from one shared
// atomic counter, `chunk` numbers per claim (the last claim may be shorter), until the range
// is used up. Python's pool.map(f, items, chunksize=chunk) makes the same trade.
// (Already written, in chunks_driver.cpp: it starts the threads, each runs one_thread, and
// adds up what they return.)
ChunkedResult count_chunked(cpu::Task range, int threads, std::uint64_t chunk);

// What one of those threads does (the exercise, in chunks.cpp): claim numbers of `range` from
// `next` (which starts at range.first and is shared by every thread), `chunk` per claim, count
// the primes among them, until the range is used up; return this thread's total and claims.
ChunkedResult one_thread(std::atomic<std::uint64_t>& next, cpu::Task range, std::uint64_t chunk);

}  // namespace exercise
