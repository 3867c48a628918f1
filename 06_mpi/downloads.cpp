// Chapter 6: downloads over MPI ranks. Read top to bottom; compare 03_processes/processes.cpp,
// which does the same with fork() and two pipes per worker.
#include "downloads.hpp"

#include <cstdint>
#include <type_traits>

#include <mpi.h>

namespace mpi {
namespace {

// What a rank sends back for one URL: plain bytes, as through chapter 3's pipes, because a
// pointer (std::string's) means nothing in another process, let alone on another machine.
struct Record {
    std::uint32_t index;    // which URL
    std::int32_t rank;      // who fetched it
    std::int32_t http_status;
    std::uint64_t bytes;
    std::uint64_t body_hash;
    std::int64_t start_ns;  // steady_clock: one clock for every rank on ONE machine; across
    std::int64_t end_ns;    // machines the clocks differ, and these would need converting
    char error[400];        // cut to fit, always NUL-terminated
};
static_assert(std::is_trivially_copyable_v<Record>);

int world(int (*what)(MPI_Comm, int*)) {
    int value = 0;
    what(MPI_COMM_WORLD, &value);
    return value;
}

// How many URLs rank r fetches when n are dealt round-robin over `size` ranks.
int share_of(int r, int n, int size) { return (n - r + size - 1) / size; }

}  // namespace

bool share_urls(std::vector<std::string>& urls, bool ok) {
    // Two collectives: the lengths (-1: rank 0 failed), then every URL's bytes in one buffer.
    std::vector<long> lengths;
    std::string all;
    if (world(MPI_Comm_rank) == 0) {
        lengths.push_back(ok ? static_cast<long>(urls.size()) : -1);
        for (const std::string& url : urls) lengths.push_back(static_cast<long>(url.size())), all += url;
    }
    long count = lengths.empty() ? 0 : lengths[0];
    MPI_Bcast(&count, 1, MPI_LONG, 0, MPI_COMM_WORLD);
    if (count < 0) return false;
    lengths.resize(count + 1);
    MPI_Bcast(lengths.data(), static_cast<int>(count + 1), MPI_LONG, 0, MPI_COMM_WORLD);
    long total = 0;
    for (long i = 1; i <= count; ++i) total += lengths[i];
    all.resize(total);
    MPI_Bcast(all.data(), static_cast<int>(total), MPI_CHAR, 0, MPI_COMM_WORLD);
    urls.clear();
    for (long i = 1, at = 0; i <= count; at += lengths[i], ++i) urls.push_back(all.substr(at, lengths[i]));
    return true;
}

// [docs:download_all]
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, const tour::FetchOptions& options) {
    const int rank = world(MPI_Comm_rank), size = world(MPI_Comm_size);
    const int n = static_cast<int>(urls.size());
    // This rank's own libcurl handle and connection, as in chapter 3's worker: nothing is shared.
    tour::HttpSession session(options);
    std::vector<Record> mine;
    for (int i = rank; i < n; i += size) {  // round-robin: URLs rank, rank + size, ...
        const tour::FetchResult result = session.get(urls[i]);
        Record& record = mine.emplace_back(Record{.index = static_cast<std::uint32_t>(i),
                                                  .rank = rank,
                                                  .http_status = static_cast<std::int32_t>(result.http_status),
                                                  .bytes = result.bytes,
                                                  .body_hash = result.body_hash,
                                                  .start_ns = result.start.time_since_epoch().count(),
                                                  .end_ns = result.end.time_since_epoch().count(),
                                                  .error = {}});
        result.error.copy(record.error, sizeof record.error - 1);
    }
    // MPI_Gatherv: rank r's records land at displacement[r] in rank 0's buffer. Counts are in
    // bytes (MPI_BYTE); every rank knows every share, so nobody has to ask.
    std::vector<int> counts(size), displacements(size);
    for (int r = 0, at = 0; r < size; at += counts[r], ++r) {
        counts[r] = share_of(r, n, size) * static_cast<int>(sizeof(Record));
        displacements[r] = at;
    }
    std::vector<Record> gathered(rank == 0 ? n : 0);
    MPI_Gatherv(mine.data(), static_cast<int>(mine.size() * sizeof(Record)), MPI_BYTE, gathered.data(),
                counts.data(), displacements.data(), MPI_BYTE, 0, MPI_COMM_WORLD);

    std::vector<tour::FetchResult> results(gathered.size());  // rank 0: rebuilt in input order
    for (const Record& record : gathered) {
        results.at(record.index) = {.url = urls[record.index],
                                    .http_status = record.http_status,
                                    .bytes = record.bytes,
                                    .body_hash = record.body_hash,
                                    .start = tour::Clock::time_point(tour::Clock::duration(record.start_ns)),
                                    .end = tour::Clock::time_point(tour::Clock::duration(record.end_ns)),
                                    .worker = record.rank,
                                    .error = record.error};
    }
    return results;
}
// [/docs:download_all]

}  // namespace mpi
