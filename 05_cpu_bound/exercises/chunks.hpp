// Exercise 5.2: chunking. (Do not edit this header; answer in chunks.cpp.)
#pragma once

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
ChunkedResult count_chunked(cpu::Task range, int threads, std::uint64_t chunk);

}  // namespace exercise
