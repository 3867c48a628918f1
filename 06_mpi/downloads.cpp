// Chapter 6: downloads over MPI ranks. Read top to bottom; compare 03_processes/processes.cpp,
// which does the same with fork() and two pipes per worker.
#include "downloads.hpp"

#include <cstdint>

#include <mpi.h>

#include "03_processes/record.hpp"

namespace mpi {
namespace {

// What a rank sends back for one URL: chapter 3's Record, plain bytes, because a pointer
// (std::string's) means nothing in another process, let alone on another machine. Its times
// are steady_clock's: one clock for every rank on ONE machine; across machines the clocks
// differ, and they would need converting.
using processes::Record;

// How many URLs rank r fetches when n are dealt round-robin over `size` ranks.
int share_of(int r, int n, int size) { return (n - r + size - 1) / size; }

}  // namespace

bool share_urls(const Session& mpi, std::vector<std::string>& urls, bool ok) {
    // Two collectives: the lengths (-1: rank 0 failed), then every URL's bytes in one buffer.
    std::vector<long> lengths;
    std::string all;
    if (mpi.root()) {
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
std::vector<tour::FetchResult> download_all(const Session& mpi, const std::vector<std::string>& urls,
                                            const tour::FetchOptions& options) {
    const int rank = mpi.rank(), size = mpi.size();
    const int n = static_cast<int>(urls.size());
    // This rank's own libcurl handle and connection, as in chapter 3's worker: nothing is shared.
    tour::HttpSession session(options);
    std::vector<Record> mine;
    for (int i = rank; i < n; i += size) {  // round-robin: URLs rank, rank + size, ...
        mine.push_back(processes::to_record(static_cast<std::uint32_t>(i), session.get(urls[i])));
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
        tour::FetchResult& r = results.at(record.index);
        processes::from_record(record, r);
        r.url = urls[record.index];
        r.worker = static_cast<int>(record.index % size);  // round-robin: URL i is rank i % size's
    }
    return results;
}
// [/docs:download_all]

}  // namespace mpi
