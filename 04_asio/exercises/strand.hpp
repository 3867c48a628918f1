// Exercise 4.4: serialise with a strand. (Do not edit this header; answer in strand.cpp.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace exercise {

// Run every item i in [0, count) on an io_context that `threads` threads run: begin(i), then
// work(i), then end(i, result). `begin` and `end` keep the books (which items are open, their
// results: like the libcurl multi handle, a std::map, a file) and are not thread-safe: no two
// calls of begin and end may overlap, whichever item they are for. work(i) is independent and
// may run on several threads at once. Each item: begin before its work, end after it, once
// each. Returns when every end call has returned.
void process_all(int threads, std::size_t count, const std::function<void(std::size_t)>& begin,
                 const std::function<std::uint64_t(std::size_t)>& work,
                 const std::function<void(std::size_t, std::uint64_t)>& end);

}  // namespace exercise
