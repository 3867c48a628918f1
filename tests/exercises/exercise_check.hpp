// What every exercise check shares: failures that print their values, and waits that end.
//
//  * doctest prints a value it cannot format as {?}. The specialisations below teach it the
//    standard types the checks compare (vectors, optionals, atomics), so a failed
//    CHECK(got == expected) shows both sides. A check formats its chapter's own types itself.
//  * A broken answer to a concurrency exercise does not fail: it hangs (a notify that never
//    comes, a join that never returns). CTest would kill it after its timeout and print only
//    "***Timeout", losing the reason. Every wait in a check is bounded here instead, and the
//    check ends at once with a sentence that says what did not happen.
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <iostream>
#include <optional>
#include <source_location>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <unistd.h>

namespace tour_check {

// How long a check waits for the exercise before it gives up. Well below the CTest timeout of
// exercise tests (60 s), so the check's own message is what the reader sees.
inline constexpr std::chrono::seconds patience{10};

namespace detail {

[[noreturn]] inline void give_up(const std::string& what, std::chrono::steady_clock::duration waited,
                                 std::source_location where) {
    std::cout.flush();  // what doctest has printed so far, before the verdict
    std::cerr << where.file_name() << ':' << where.line() << ": ERROR: " << what << "\n  (no answer after "
              << std::chrono::duration_cast<std::chrono::seconds>(waited).count()
              << " s: the check stops here, and its remaining test cases did not run)" << std::endl;
    std::fflush(nullptr);
    std::_Exit(1);  // at once: the stuck threads cannot be joined, and nothing may wait for them
}

}  // namespace detail

// The exercise's code, running on a thread of its own while the check goes on; finish() waits
// for it with a deadline. The checks' CHECKs stay on the check's thread.
//
//     auto popped = tour_check::start([&] { return queue.pop(); });
//     queue.push(42);
//     CHECK(popped.finish("pop() did not return after a push") == 42);
//
// If the work has not finished by the deadline, finish() prints its sentence (what did not
// happen, and a likely reason) with the check's file and line, and ends the process with
// status 1 at once: a thread that is stuck cannot be joined. Not for code that forks: fork only
// from a single-threaded process (chapter 3); use Alarm there.
template <typename Result>
class Running {
public:
    template <typename Work>
    explicit Running(Work&& work) : task_(std::forward<Work>(work)), result_(task_.get_future()), thread_(std::ref(task_)) {}
    Running(Running&&) = delete;
    // Left without finish() (a REQUIRE failed in between): still never wait for ever.
    ~Running() {
        if (!thread_.joinable()) return;
        if (result_.wait_for(patience) != std::future_status::ready) {
            detail::give_up("the exercise's code did not end", std::chrono::steady_clock::now() - started_,
                            std::source_location::current());
        }
        thread_.join();
    }

    // The result (or the exception the work threw), once the work has ended.
    Result finish(const std::string& what, std::chrono::seconds limit = patience,
                  std::source_location where = std::source_location::current()) {
        return finish_by(std::chrono::steady_clock::now() + limit, what, where);
    }
    // The same, with a deadline shared by several waits.
    Result finish_by(std::chrono::steady_clock::time_point deadline, const std::string& what,
                     std::source_location where = std::source_location::current()) {
        if (result_.wait_until(deadline) != std::future_status::ready) {
            detail::give_up(what, std::chrono::steady_clock::now() - started_, where);
        }
        thread_.join();
        return result_.get();
    }

private:
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::packaged_task<Result()> task_;
    std::future<Result> result_;
    std::thread thread_;
};

template <typename Work>
Running<std::invoke_result_t<Work>> start(Work&& work) {
    return Running<std::invoke_result_t<Work>>(std::forward<Work>(work));
}

// Run `work` and wait for it, at most `limit`: start(work).finish(what).
template <typename Work>
auto within(const std::string& what, Work&& work, std::chrono::seconds limit = patience,
            std::source_location where = std::source_location::current()) {
    Running<std::invoke_result_t<Work>> running(std::forward<Work>(work));
    return running.finish(what, limit, where);
}

// The watchdog without a second thread, a SIGALRM instead: for code that forks, and for code
// that must run on the check's own thread (so that a ThreadSanitizer report about it ends at the
// exercise's code, not in std::future's machinery: exercise 2.1). While an Alarm lives,
// the process ends with `what` on stderr and status 1 if `limit` passes first. (alarm() is not
// inherited by fork()'s children, so a forked child is not cut short by it.)
class Alarm {
public:
    explicit Alarm(const std::string& what, std::chrono::seconds limit = patience,
                   std::source_location where = std::source_location::current()) {
        // The handler may only call async-signal-safe functions (write, _exit): the message is
        // formatted now, and whatever doctest printed so far is flushed now.
        std::snprintf(message(), capacity, "%s:%u: ERROR: %s\n  (no answer after %lld s: the check "
                      "stops here, and its remaining test cases did not run)\n", where.file_name(),
                      static_cast<unsigned>(where.line()), what.c_str(), static_cast<long long>(limit.count()));
        std::cout.flush();
        std::fflush(nullptr);
        struct sigaction action {};
        action.sa_handler = [](int) {
            const char* text = message();
            [[maybe_unused]] const auto written = ::write(STDERR_FILENO, text, std::strlen(text));
            _exit(1);
        };
        sigemptyset(&action.sa_mask);
        sigaction(SIGALRM, &action, nullptr);
        sigset_t alarm_only;
        sigemptyset(&alarm_only);
        sigaddset(&alarm_only, SIGALRM);
        pthread_sigmask(SIG_UNBLOCK, &alarm_only, nullptr);
        alarm(static_cast<unsigned>(limit.count()));
    }
    ~Alarm() { alarm(0); }
    Alarm(const Alarm&) = delete;
    Alarm& operator=(const Alarm&) = delete;

private:
    static constexpr std::size_t capacity = 1024;
    static char* message() {
        static char text[capacity];
        return text;
    }
};

}  // namespace tour_check

// doctest learns to print the standard types the checks compare. Strings inside them are quoted,
// so an empty one shows as "" and a trailing newline as \n.
namespace doctest {

namespace detail_tour {
inline String quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '\n') out += "\\n";
        else if (c == '"' || c == '\\') out += std::string("\\") + c;
        else out += c;
    }
    return (out + "\"").c_str();
}
template <typename T>
String element(const T& value) {
    if constexpr (std::is_same_v<T, std::string>) return quoted(value);
    else return toString(value);
}
}  // namespace detail_tour

template <typename T, typename A>
struct StringMaker<std::vector<T, A>> {
    static String convert(const std::vector<T, A>& values) {
        String text = "{";
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i == 8 && values.size() > 10) {  // long vectors: the start and the size
                text += ", ... (" + toString(values.size()) + " elements)";
                break;
            }
            text += (i == 0 ? "" : ", ") + detail_tour::element(values[i]);
        }
        return text + "}";
    }
};

template <typename T>
struct StringMaker<std::optional<T>> {
    static String convert(const std::optional<T>& value) {
        return value ? detail_tour::element(*value) : String("nullopt");
    }
};

template <>
struct StringMaker<std::nullopt_t> {
    static String convert(std::nullopt_t) { return "nullopt"; }
};

template <typename T>
struct StringMaker<std::atomic<T>> {
    static String convert(const std::atomic<T>& value) { return toString(value.load()); }
};

}  // namespace doctest
