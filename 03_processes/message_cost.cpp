// message_cost: what a message between workers costs, measured. Chapter 3's workers and parent
// pass messages through pipes: a task (a URL's index, 4 bytes) down, a result back. This times
// that round trip, N times over, three ways:
//
//   1. processes, the chapter's protocol: the result as a fixed struct of plain bytes (processes::Record,
//      record.hpp: the type processes.cpp sends), copied into the pipe as it is in memory;
//   2. processes, the result serialised as JSON text, as a protocol between programs (or
//      Python's pickle) would: the child encodes, the parent parses and rebuilds a FetchResult;
//   3. threads: the same exchange through two queues (a mutex and a condition variable each),
//      the FetchResult moved, not copied: its strings change owner, no byte is encoded.
//
// and then times the encoding alone (JSON dump + parse, struct fill + copy), without a pipe.
//
//   ./build/03_processes/message_cost                    # 20,000 round trips each way
//   ./build/03_processes/message_cost --messages 100000
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <type_traits>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include "common/cpu_share.hpp"
#include "common/fetch.hpp"
#include "common/options.hpp"
#include "common/posix.hpp"
#include "record.hpp"

namespace {

using tour::Clock;

// The chapter's message, the same type processes.cpp sends (4 + 4 + 8 * 4 + 400 = 440 bytes).
using processes::Record;

// A typical successful result: what every message carries.
tour::FetchResult sample_result(std::uint32_t index) {
    tour::FetchResult r;
    r.url = "http://127.0.0.1:41234/site/" + std::to_string(index);
    r.http_status = 200;
    r.bytes = 12'345 + index;
    r.body_hash = 0x9E3779B97F4A7C15ULL * (index + 1);
    r.start = Clock::now();
    r.end = r.start + std::chrono::milliseconds(150);
    return r;
}

std::string to_json(const tour::FetchResult& r) {
    return nlohmann::json{{"url", r.url},
                          {"status", r.http_status},
                          {"bytes", r.bytes},
                          {"hash", r.body_hash},
                          {"start_ns", r.start.time_since_epoch().count()},
                          {"end_ns", r.end.time_since_epoch().count()},
                          {"error", r.error}}
        .dump();
}

tour::FetchResult from_json(const std::string& text) {
    const auto j = nlohmann::json::parse(text);
    tour::FetchResult r;
    r.url = j.at("url").get<std::string>();
    r.http_status = j.at("status").get<long>();
    r.bytes = j.at("bytes").get<std::uint64_t>();
    r.body_hash = j.at("hash").get<std::uint64_t>();
    r.start = Clock::time_point(Clock::duration(j.at("start_ns").get<std::int64_t>()));
    r.end = Clock::time_point(Clock::duration(j.at("end_ns").get<std::int64_t>()));
    r.error = j.at("error").get<std::string>();
    return r;
}

struct Measured {
    double ns_per_message;
    double bytes_per_message;  // through the pipe, both directions; 0 between threads
};

double ns_since(Clock::time_point start, std::uint32_t n) {
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count() / n;
}

// [docs:pipe_round_trip]
// One worker process; the parent sends it n indexes, one at a time, and waits for each answer:
// the request/response shape of 03_processes, without the network.
Measured pipe_round_trips(std::uint32_t n, bool as_json) {
    auto [task_read, task_write] = tour::make_pipe();
    auto [result_read, result_write] = tour::make_pipe();
    std::cout.flush();  // a child inherits unwritten stdio buffers
    const pid_t child = ::fork();
    if (child < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (child == 0) {  // the worker: read an index, answer with a result, until EOF
        task_write.close();
        result_read.close();
        std::uint32_t index = 0;
        while (tour::read_all(task_read.get(), &index, sizeof index)) {
            const tour::FetchResult result = sample_result(index);
            if (as_json) {  // serialise: the result becomes text, with its length in front
                const std::string text = to_json(result);
                const auto length = static_cast<std::uint32_t>(text.size());
                std::string message(sizeof length, '\0');
                std::memcpy(message.data(), &length, sizeof length);
                message += text;  // one write: two would wake the parent twice per message
                if (!tour::write_all(result_write.get(), message.data(), message.size())) ::_exit(1);
            } else {  // plain bytes: the struct as it lies in memory
                const Record record = processes::to_record(index, result);
                if (!tour::write_all(result_write.get(), &record, sizeof record)) ::_exit(1);
            }
        }
        ::_exit(0);
    }
    task_read.close();
    result_write.close();
    std::uint64_t pipe_bytes = 0;
    const Clock::time_point start = Clock::now();
    for (std::uint32_t i = 0; i < n; ++i) {
        bool ok = tour::write_all(task_write.get(), &i, sizeof i);
        tour::FetchResult result;
        if (as_json) {  // parse: the text becomes a FetchResult again
            std::uint32_t length = 0;
            std::string text;
            ok = ok && tour::read_all(result_read.get(), &length, sizeof length);
            text.resize(length);
            ok = ok && tour::read_all(result_read.get(), text.data(), length);
            if (ok) result = from_json(text);
            pipe_bytes += sizeof i + sizeof length + length;
        } else {
            Record record{};
            ok = ok && tour::read_all(result_read.get(), &record, sizeof record);
            result.http_status = record.http_status;
            result.bytes = record.bytes;
            pipe_bytes += sizeof i + sizeof record;
        }
        if (!ok) throw std::runtime_error("the worker process stopped answering");
    }
    const double ns = ns_since(start, n);
    task_write.close();  // EOF: the worker exits
    const int status = tour::reap(child);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error("the worker " + tour::describe_wait_status(status));
    }
    return {ns, static_cast<double>(pipe_bytes) / n};
}
// [/docs:pipe_round_trip]

// A queue between threads: a lock for the deque, a condition variable to sleep on.
template <typename T>
class Channel {
public:
    void push(T value) {
        {
            std::lock_guard lock(mutex_);
            items_.push(std::move(value));
        }
        ready_.notify_one();
    }
    T pop() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return !items_.empty(); });
        T value = std::move(items_.front());
        items_.pop();
        return value;
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::queue<T> items_;
};

// The same exchange with a worker thread: the result is moved through the queue, nothing encoded.
Measured thread_round_trips(std::uint32_t n) {
    Channel<std::uint32_t> tasks;
    Channel<tour::FetchResult> results;
    std::jthread worker([&] {
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::uint32_t index = tasks.pop();
            results.push(sample_result(index));
        }
    });
    const Clock::time_point start = Clock::now();
    std::uint64_t check = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        tasks.push(i);
        check += results.pop().bytes;
    }
    const double ns = ns_since(start, n);
    if (check == 0) throw std::logic_error("no result arrived");
    return {ns, 0};
}

// The encoding alone, in one process: build the message and decode it again, n times.
double encode_decode_ns(std::uint32_t n, bool as_json) {
    std::uint64_t check = 0;
    const Clock::time_point start = Clock::now();
    for (std::uint32_t i = 0; i < n; ++i) {
        const tour::FetchResult result = sample_result(i);
        if (as_json) {
            check += from_json(to_json(result)).bytes;
        } else {
            const Record record = processes::to_record(i, result);
            Record copy;
            std::memcpy(&copy, &record, sizeof copy);
            check += copy.bytes;
        }
    }
    const double ns = ns_since(start, n);
    if (check == 0) throw std::logic_error("nothing decoded");
    return ns;
}

void print_row(const std::string& way, const Measured& m) {
    std::cout << "  " << std::left << std::setw(46) << way << std::right << std::setw(7)
              << static_cast<long>(m.bytes_per_message + 0.5) << " B" << std::setw(10) << std::fixed
              << std::setprecision(1) << m.ns_per_message / 1000 << " us\n";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"What a message between workers costs: chapter 3's result message through a pipe as plain bytes "
                 "and as JSON text, the same exchange between threads, and the encoding alone.",
                 "message_cost"};
    tour::add_version_flag(app);
    std::uint32_t messages = 20'000;
    app.add_option("--messages", messages, "Round trips per way (default 20,000)")
        ->transform(tour::finite_number)
        ->check(CLI::Range(1u, 10'000'000u))
        ->type_name("N");
    if (const auto exit_now = tour::parse_command_line(app, argc, argv)) return *exit_now;

    try {
        const tour::CpuShareMeter meter;  // did we get the CPU? (common/cpu_share.hpp)
        // Fork first, while this process has one thread (chapter 3, "Fork hazards").
        const Measured raw = pipe_round_trips(messages, false);
        const Measured json = pipe_round_trips(messages, true);
        const Measured threads = thread_round_trips(messages);
        std::cout << "A task down and a result back, " << messages
                  << " times each (bytes through the pipe per round trip; time per round trip):\n";
        print_row("processes, a pipe, the result as plain bytes", raw);
        print_row("processes, a pipe, the result as JSON text", json);
        print_row("threads, a queue, the result moved", threads);
        std::cout << "The encoding alone, no pipe (per message):\n"
                  << "  plain bytes (fill a struct, copy it)  " << std::fixed << std::setprecision(2)
                  << encode_decode_ns(messages, false) / 1000 << " us\n"
                  << "  JSON text (dump, then parse)          " << encode_decode_ns(messages, true) / 1000
                  << " us\n";
        tour::print_cpu_notice(std::cout, meter.stop());
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "message_cost: error: " << e.what() << '\n';
        return 1;
    }
}
