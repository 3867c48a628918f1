// Chapter 5: false sharing, measured (05_cpu_bound --false-sharing). Exercise 5.1 fixes it.
#pragma once

#include <cstdint>
#include <iosfwd>

namespace cpu {

struct FalseSharingTimes {
    double packed = 0;  // per-thread counters side by side in one vector
    double padded = 0;  // the same counters, one cache line each
    double local = 0;   // counting in a local variable, one write at the end
};

// `threads` threads each add 1 to their own counter `increments` times, three ways.
FalseSharingTimes time_false_sharing(int threads, std::uint64_t increments);

// Time the three ways with `threads` threads and print the times, packed against padded.
// Returns the exit status: 0 (it measures; there is nothing to get wrong).
int run_false_sharing_demo(std::ostream& out, int threads);

}  // namespace cpu
