// Chapter 6: the download list shared out over MPI ranks: chapter 3's shape (a process per
// worker, each with its own libcurl session) with MPI as the transport instead of fork and pipes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "common/stop.hpp"
#include "mpi_session.hpp"

namespace mpi {

// Rank 0's URL list, copied into `urls` on every rank (MPI_Bcast). Every rank calls it; `urls`
// and `ok` are read on rank 0 only. When rank 0 says !ok (its set-up failed), every rank returns
// false: the job ends together, instead of the others waiting for ever for a list.
bool share_urls(const Session& mpi, std::vector<std::string>& urls, bool ok);

// What download_all gives rank 0 (the other ranks get an empty one).
struct Downloads {
    std::vector<tour::FetchResult> results;  // one per URL, in input order (worker = the rank)
    // A rank sent nothing for longer than a request may take (stopped, stuck): its URLs are
    // reported lost, and the job cannot end normally, because MPI_Finalize would wait for that
    // rank for ever. Rank 0 reports, then ends the job with MPI_Abort.
    bool rank_stuck = false;
    tour::StopReason stop = tour::StopReason::none;  // rank 0's deadline passed during the run
};

// Every rank fetches URLs rank, rank + size, rank + 2 * size, ... with its own HttpSession and
// sends each result to rank 0 as it has it; rank 0 fetches its share, then collects the others'
// (MPI_Recv from any rank), giving each rank the request timeout plus a grace period to send
// its next result. With a `deadline` (--deadline), each rank stops there on its own: its
// transfer in progress is aborted, and the URLs it has not started come back cancelled. Every
// rank must call it with the same list.
Downloads download_all(const Session& mpi, const std::vector<std::string>& urls, const tour::FetchOptions& options,
                       std::optional<tour::Clock::time_point> deadline);

}  // namespace mpi
