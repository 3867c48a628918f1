// Chapter 6: downloads over MPI ranks. Read top to bottom; compare 03_processes/processes.cpp,
// which does the same with fork() and two pipes per worker.
#include "downloads.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <iostream>
#include <mutex>
#include <thread>

#include <mpi.h>

#include "03_processes/record.hpp"
#include "common/text.hpp"  // seconds_text

namespace mpi {
namespace {

// What a rank sends back for one URL: chapter 3's Record, plain bytes, because a pointer
// (std::string's) means nothing in another process, let alone on another machine. Its times
// are steady_clock's: one clock for every rank on ONE machine; across machines the clocks
// differ, and they would need converting.
using processes::Record;

// How many URLs rank r fetches when n are dealt round-robin over `size` ranks.
int share_of(int r, int n, int size) { return (n - r + size - 1) / size; }

constexpr int result_tag = 1;  // a message that carries one Record

// How long past the request timeout rank 0 waits for a rank's next result, as chapter 3's parent
// waits for a worker's: curl ends every request by the timeout, so a rank later than this is not
// slow but stuck (stopped with SIGSTOP, deadlocked, swapped out).
constexpr auto grace_period = std::chrono::seconds(5);

// Rank 0: one result into its slot, rebuilt from the record's plain bytes.
void store(const Record& record, const std::vector<std::string>& urls, int size, std::vector<tour::FetchResult>& results) {
    tour::FetchResult& r = results.at(record.index);
    processes::from_record(record, r);
    // The record carries the text, not the reason: a URL a rank's deadline cancelled says so.
    if (r.error == tour::cancelled_text(tour::StopReason::deadline)) r.cancelled = tour::StopReason::deadline;
    r.url = urls[record.index];
    r.worker = static_cast<int>(record.index % size);  // round-robin: URL i is rank i % size's
}

// [docs:deadline_timer]
// --deadline, on one rank: a thread that sleeps until the deadline (or until the downloads are
// over, when the returned jthread is destroyed) and then asks `stop` to stop. curl's progress
// callback then aborts the transfer in progress (within about a second), and the loop in
// download_all starts no more. No rank can stop another's transfer, so each keeps its own time;
// the thread makes no MPI call (MPI_THREAD_FUNNELED, mpi_session.hpp).
std::jthread deadline_timer(tour::RunStop& stop, std::optional<tour::Clock::time_point> deadline) {
    if (!deadline) return {};
    return std::jthread([&stop, at = *deadline](std::stop_token done) {
        std::mutex mutex;
        std::condition_variable_any wake;
        std::unique_lock lock(mutex);
        wake.wait_until(lock, done, at, [] { return false; });  // returns at the deadline, or when `done` stops
        if (!done.stop_requested()) stop.request(tour::StopReason::deadline);
    });
}
// [/docs:deadline_timer]

// [docs:wait_for_record]
// Rank 0: the next record from any rank, or the first rank past its due time, whichever comes
// first. MPI_Recv has no timeout: it waits for ever for a rank that never sends. So post the
// receive without waiting (MPI_Irecv), then test it every millisecond, looking at the clock in
// between. Returns the sender, or -1 - r when rank r (one with `owed[r]` results still to send)
// is overdue; the unfinished receive is then cancelled.
int wait_for_record(Record& record, const std::vector<int>& owed, const std::vector<tour::Clock::time_point>& due) {
    MPI_Request request;
    MPI_Irecv(&record, sizeof record, MPI_BYTE, MPI_ANY_SOURCE, result_tag, MPI_COMM_WORLD, &request);
    for (;;) {
        int done = 0;
        MPI_Status status;
        MPI_Test(&request, &done, &status);
        if (done) return status.MPI_SOURCE;
        for (std::size_t r = 0; r < owed.size(); ++r) {
            if (owed[r] > 0 && tour::Clock::now() >= due[r]) {
                MPI_Cancel(&request);
                MPI_Wait(&request, &status);
                return -1 - static_cast<int>(r);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}
// [/docs:wait_for_record]

// [docs:collect]
// Rank 0, its own share done: every other rank's results, as they come. Each rank must send its
// next result within the request timeout plus the grace period; one that does not is stuck, and
// its URLs not yet reported are lost, said by name. The other ranks' results still count.
// Returns false when some rank was stuck.
bool collect(const std::vector<std::string>& urls, int size, const tour::FetchOptions& options,
             std::vector<tour::FetchResult>& results) {
    const int n = static_cast<int>(urls.size());
    const auto allowed = options.total_timeout + grace_period;
    std::vector<int> owed(size), next(size);  // per rank: results still to come, the next one's URL
    std::vector<tour::Clock::time_point> due(size, tour::Clock::now() + allowed);
    for (int r = 1; r < size; ++r) owed[r] = share_of(r, n, size), next[r] = r;
    bool all_answered = true;
    while (std::ranges::any_of(owed, [](int left) { return left > 0; })) {
        Record record;
        const int from = wait_for_record(record, owed, due);
        if (from >= 0) {  // a result: store it, and give the rank a new due time
            store(record, urls, size, results);
            --owed[from], next[from] += size, due[from] = tour::Clock::now() + allowed;
            continue;
        }
        const int stuck = -1 - from;  // overdue: MPI cannot stop one rank, so report its URLs lost
        std::cerr << "06_mpi_download: rank " << stuck << " sent no result for " << tour::seconds_text(allowed)
                  << " (the request timeout, " << tour::seconds_text(options.total_timeout) << ", plus "
                  << tour::seconds_text(grace_period) << "): it is stopped or stuck\n";
        for (int i = next[stuck]; i < n; i += size) {
            results[i].url = urls[i];
            results[i].worker = stuck;
            results[i].error = "lost: rank " + std::to_string(stuck) + " sent no result for " + tour::seconds_text(allowed);
        }
        owed[stuck] = 0;
        all_answered = false;
    }
    return all_answered;
}
// [/docs:collect]

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
Downloads download_all(const Session& mpi, const std::vector<std::string>& urls, const tour::FetchOptions& options,
                       std::optional<tour::Clock::time_point> deadline) {
    const int rank = mpi.rank(), size = mpi.size();
    const int n = static_cast<int>(urls.size());
    tour::RunStop stop;  // this rank's: only its own deadline can stop it
    // This rank's own libcurl handle and connection, as in chapter 3's worker: nothing is shared.
    tour::HttpSession session(options, &stop);
    Downloads downloads;
    if (rank == 0) downloads.results.resize(urls.size());
    {
        const std::jthread timer = deadline_timer(stop, deadline);
        for (int i = rank; i < n; i += size) {  // round-robin: URLs rank, rank + size, ...
            const tour::FetchResult result =
                stop.stop_requested() ? tour::cancelled(urls[i], stop.reason()) : session.get(urls[i]);
            const Record record = processes::to_record(static_cast<std::uint32_t>(i), result);
            // Each result goes to rank 0 at once, as chapter 3's workers write theirs to a pipe:
            // rank 0 then knows how far each rank has got, and can tell a slow rank from a stuck one.
            if (rank == 0) store(record, urls, size, downloads.results);
            else MPI_Send(&record, sizeof record, MPI_BYTE, 0, result_tag, MPI_COMM_WORLD);
        }
    }  // the timer's thread ends here
    if (rank == 0) downloads.rank_stuck = !collect(urls, size, options, downloads.results);
    downloads.stop = stop.reason();
    return downloads;
}
// [/docs:download_all]

}  // namespace mpi
