// Exercise 4.4: serialise with a strand. (Do not edit this header; answer in strand.cpp.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace exercise {

// Run work(i) for every i in [0, count) on an io_context that `threads` threads run, several
// at once, and pass each result to record(i, result). `record` stands for something that is
// not thread-safe (the libcurl multi handle, a std::map, a file): two calls must never overlap.
// Returns when every record call has returned.
void process_all(int threads, std::size_t count, const std::function<std::uint64_t(std::size_t)>& work,
                 const std::function<void(std::size_t, std::uint64_t)>& record);

}  // namespace exercise
