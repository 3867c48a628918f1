// Chapter 6: the two ways to share out chapter 5's tasks over MPI ranks. Read top to bottom.
//
// Both are MPI's own calls, the ones mpi4py exposes under the same names (comm.Reduce,
// comm.send / comm.recv); docs/06-mpi.md shows the Python beside each.
#include "mpi_models.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <stdexcept>

#include <mpi.h>

namespace mpi {
namespace {

// Message tags: what a message from the manager means.
constexpr int task_tag = 1;  // the body is a task's index: compute it
constexpr int stop_tag = 2;  // no body that matters: there is no more work
constexpr int result_tag = 3;

// [docs:receive_gently]
// MPI_Recv busy-waits: it polls for the message as fast as it can, for the lowest latency, and
// burns a core meanwhile. The manager does nothing but wait, so it waits gently instead: a
// non-blocking receive (MPI_Irecv), then MPI_Test every millisecond until it completes. Its
// core stays free for a worker, and an answer waits at most a millisecond.
void receive_gently(void* buffer, int count, MPI_Datatype type, MPI_Status& status) {
    MPI_Request request;
    MPI_Irecv(buffer, count, type, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &request);
    for (int done = 0; MPI_Test(&request, &done, &status), !done;) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
// [/docs:receive_gently]

}  // namespace

// [docs:static_blocks]
std::vector<cpu::TaskResult> run_static_blocks(const Session& mpi, std::span<const cpu::Task> tasks, cpu::Work work) {
    const std::size_t rank = mpi.rank(), size = mpi.size(), n = tasks.size();
    // MPI moves numbers, not objects: each task's result is two 64-bit words in a flat array,
    // zero where another rank owns the task, so adding every rank's array gives every result.
    std::vector<std::uint64_t> mine(2 * n, 0);
    for (std::size_t i = n * rank / size; i < n * (rank + 1) / size; ++i) {  // my block
        const cpu::TaskResult r = work(tasks[i]);
        mine[2 * i] = r.primes;
        mine[2 * i + 1] = r.checksum;
    }
    // Every rank must call MPI_Reduce (a collective: it returns on a rank once that rank's part
    // is done); only rank 0 receives the sum.
    std::vector<std::uint64_t> sum(rank == 0 ? 2 * n : 0);
    MPI_Reduce(mine.data(), sum.data(), static_cast<int>(2 * n), MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    std::vector<cpu::TaskResult> results;
    for (std::size_t i = 0; i < sum.size(); i += 2) results.push_back({sum[i], sum[i + 1]});
    return results;
}
// [/docs:static_blocks]

// [docs:manager_worker]
std::vector<cpu::TaskResult> run_manager_worker(const Session& mpi, std::span<const cpu::Task> tasks, cpu::Work work) {
    const int rank = mpi.rank(), size = mpi.size();
    const int n = static_cast<int>(tasks.size());
    if (size == 1) {  // no worker to deal to
        std::vector<cpu::TaskResult> results;
        for (const cpu::Task& t : tasks) results.push_back(work(t));
        return results;
    }
    if (rank != 0) {  // a worker: ask for nothing, just answer every task until told to stop
        for (;;) {
            int index = 0;
            MPI_Status status;
            MPI_Recv(&index, 1, MPI_INT, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
            if (status.MPI_TAG == stop_tag) return {};
            const cpu::TaskResult r = work(tasks[index]);
            const std::uint64_t answer[3] = {static_cast<std::uint64_t>(index), r.primes, r.checksum};
            MPI_Send(answer, 3, MPI_UINT64_T, 0, result_tag, MPI_COMM_WORLD);
        }
    }
    // The manager: one task to every worker, then the next task to whoever answers first. A
    // worker with a slow task simply answers later and gets fewer.
    std::vector<cpu::TaskResult> results(tasks.size());
    int next = 0, busy = 0;
    for (int worker = 1; worker < size; ++worker) {
        if (next < n) {
            MPI_Send(&next, 1, MPI_INT, worker, task_tag, MPI_COMM_WORLD);
            ++next, ++busy;
        } else {
            MPI_Send(&next, 1, MPI_INT, worker, stop_tag, MPI_COMM_WORLD);
        }
    }
    while (busy > 0) {
        std::uint64_t answer[3];
        MPI_Status status;
        receive_gently(answer, 3, MPI_UINT64_T, status);  // from any worker
        results.at(answer[0]) = {answer[1], answer[2]};
        const int tag = next < n ? task_tag : stop_tag;
        MPI_Send(&next, 1, MPI_INT, status.MPI_SOURCE, tag, MPI_COMM_WORLD);  // to the same worker
        if (tag == task_tag) ++next; else --busy;
    }
    return results;
}
// [/docs:manager_worker]

std::vector<cpu::Task> make_uneven_tasks(std::uint64_t start, std::size_t count, std::uint64_t size) {
    if (count == 0 || size == 0) throw std::invalid_argument("make_uneven_tasks: need at least one task of at least one number");
    std::vector<cpu::Task> tasks;
    std::uint64_t first = start;
    for (std::size_t i = 0; i < count; ++i) {
        // Task i gets 2 * size * (i + 1) / (count + 1) numbers (at least one): the sizes add up
        // to about count * size, the last task `count` times the first.
        const std::uint64_t numbers = std::max<std::uint64_t>(1, 2 * size * (i + 1) / (count + 1));
        tasks.push_back({first, first + numbers});
        first += numbers;
    }
    if (first > cpu::max_number) throw std::invalid_argument("make_uneven_tasks: the numbers would go past 10^13");
    return tasks;
}

}  // namespace mpi
