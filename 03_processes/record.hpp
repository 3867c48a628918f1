// The message a chapter 3 worker sends back for one URL, through its results pipe. Shared by the
// model (processes.cpp) and the measurement of what such a message costs (message_cost.cpp), so
// both send the same bytes.
#pragma once

#include <cstdint>
#include <type_traits>

#include <limits.h>

namespace processes {

// What a worker sends back for one URL. Plain bytes: no std::string, no pointer, because a
// pointer means nothing in another process. The parent rebuilds the FetchResult from it.
struct Record {
    std::uint32_t index;        // which URL (the parent's numbering)
    std::int32_t http_status;
    std::uint64_t bytes;
    std::uint64_t body_hash;
    std::int64_t start_ns;      // steady_clock is CLOCK_MONOTONIC: one clock for the whole
    std::int64_t end_ns;        // machine, so a child's time points mean the same in the parent
    char error[400];            // the error text, cut to fit, always NUL-terminated
};
// A write of at most PIPE_BUF bytes to a pipe is atomic: the record arrives whole or not at all.
static_assert(sizeof(Record) <= PIPE_BUF);
static_assert(std::is_trivially_copyable_v<Record>);

}  // namespace processes
