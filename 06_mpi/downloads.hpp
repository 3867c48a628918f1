// Chapter 6: the download list shared out over MPI ranks: chapter 3's shape (a process per
// worker, each with its own libcurl session) with MPI as the transport instead of fork and pipes.
#pragma once

#include <string>
#include <vector>

#include "common/fetch.hpp"
#include "mpi_session.hpp"

namespace mpi {

// Rank 0's URL list, copied into `urls` on every rank (MPI_Bcast). Every rank calls it; `urls`
// and `ok` are read on rank 0 only. When rank 0 says !ok (its set-up failed), every rank returns
// false: the job ends together, instead of the others waiting for ever for a list.
bool share_urls(const Session& mpi, std::vector<std::string>& urls, bool ok);

// Every rank fetches URLs rank, rank + size, rank + 2 * size, ... with its own HttpSession; the
// results are gathered to rank 0 (MPI_Gatherv), which gets one FetchResult per URL in input
// order (worker = the rank that fetched it). The other ranks get an empty vector. Every rank
// must call it with the same list.
std::vector<tour::FetchResult> download_all(const Session& mpi, const std::vector<std::string>& urls,
                                            const tour::FetchOptions& options);

}  // namespace mpi
