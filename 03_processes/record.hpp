// The message a chapter 3 worker sends back for one URL, through its results pipe. Shared by the
// model (processes.cpp), the measurement of what such a message costs (message_cost.cpp), so
// both send the same bytes, and chapter 6's ranks (06_mpi/downloads.cpp), which send it with MPI.
#pragma once

#include <cstdint>
#include <type_traits>

#include "common/fetch.hpp"

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

// One URL's result as the Record that carries it (the error text cut to fit).
inline Record to_record(std::uint32_t index, const tour::FetchResult& result) {
    Record record{};
    record.index = index;
    record.http_status = static_cast<std::int32_t>(result.http_status);
    record.bytes = result.bytes;
    record.body_hash = result.body_hash;
    record.start_ns = result.start.time_since_epoch().count();
    record.end_ns = result.end.time_since_epoch().count();
    result.error.copy(record.error, sizeof record.error - 1);
    return record;
}

// The receiver rebuilds the result from the Record's plain bytes (url and worker are its own).
inline void from_record(const Record& record, tour::FetchResult& result) {
    result.http_status = record.http_status;
    result.bytes = record.bytes;
    result.body_hash = record.body_hash;
    result.start = tour::Clock::time_point(tour::Clock::duration(record.start_ns));
    result.end = tour::Clock::time_point(tour::Clock::duration(record.end_ns));
    result.error = record.error;
}

}  // namespace processes
