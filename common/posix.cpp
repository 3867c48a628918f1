#include "common/posix.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

extern char** environ;

namespace tour {

Fd& Fd::operator=(Fd&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

void Fd::close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

std::pair<Fd, Fd> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
    return {Fd(fds[0]), Fd(fds[1])};
}

bool read_all(int fd, void* data, std::size_t size) {
    auto* p = static_cast<char*>(data);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool write_all(int fd, const void* data, std::size_t size) {
    const auto* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "waitpid(" + std::to_string(pid) + ")");
        }
    }
    return status;
}

std::string describe_wait_status(int status) {
    if (WIFSIGNALED(status)) {
        const char* abbrev = ::sigabbrev_np(WTERMSIG(status));
        return abbrev ? std::string("killed by SIG") + abbrev : "killed by signal " + std::to_string(WTERMSIG(status));
    }
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    return "ended with wait status " + std::to_string(status);
}

pid_t spawn(const std::vector<std::string>& argv, const posix_spawn_file_actions_t* actions, ProcessGroup group) {
    std::vector<char*> pointers;
    for (const auto& word : argv) pointers.push_back(const_cast<char*>(word.c_str()));
    pointers.push_back(nullptr);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    const sigset_t none = signal_set({});
    const sigset_t defaults = signal_set({SIGINT, SIGTERM});
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    int flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (group == ProcessGroup::own) {
        posix_spawnattr_setpgroup(&attributes, 0);  // 0: a new group, numbered by the child's pid
        flags |= POSIX_SPAWN_SETPGROUP;
    }
    posix_spawnattr_setflags(&attributes, static_cast<short>(flags));
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, pointers[0], actions, &attributes, pointers.data(), environ);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) throw std::system_error(rc, std::generic_category(), "posix_spawn " + argv.at(0));
    return pid;
}

void die_with_parent(pid_t parent, int signal) {
    ::prctl(PR_SET_PDEATHSIG, signal);
    // The parent may have died between fork/spawn and the line above: then the signal will
    // never come, and our parent is now someone else.
    if (::getppid() != parent) ::_exit(128 + signal);
}

sigset_t signal_set(std::initializer_list<int> signals) {
    sigset_t set;
    sigemptyset(&set);
    for (const int signal : signals) sigaddset(&set, signal);
    return set;
}

void die_by(int signal) {
    ::signal(signal, SIG_DFL);
    const sigset_t set = signal_set({signal});
    ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    ::raise(signal);  // to this thread, which no longer blocks it: the default action ends the process
    ::_exit(128 + signal);  // not reached
}

namespace {
std::atomic<int> signal_at_exit{0};

extern "C" void end_by_signal_at_exit() {
    std::cout.flush();  // exit() would flush them after this handler: too late
    std::cerr.flush();
    std::fflush(nullptr);
#if defined(__SANITIZE_ADDRESS__)
    // LeakSanitizer checks at exit, after this handler: a process that dies by a signal here
    // would skip it. Check now (it ends the process with its error status if anything leaked).
    __lsan_do_leak_check();
#endif
    die_by(signal_at_exit.load());
}
}  // namespace

void die_by_at_exit(int signal) {
    if (signal_at_exit.exchange(signal) == 0) std::atexit(end_by_signal_at_exit);
}

std::size_t thread_count() {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
        (void)entry;
        ++n;
    }
    return n;
}

std::size_t open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
    return limit.rlim_cur == RLIM_INFINITY ? std::size_t{1} << 20 : static_cast<std::size_t>(limit.rlim_cur);
}

std::size_t raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);  // if refused, the old limit stands
    }
    return open_file_limit();
}

std::size_t cap_by_open_files(int workers, std::size_t url_count, std::size_t descriptors_each,
                              std::string_view program, std::ostream& err) {
    const std::size_t wanted = workers <= 0 ? url_count : std::min(static_cast<std::size_t>(workers), url_count);
    constexpr std::size_t reserve = 16;  // --json, an event loop's epoll and wake-up descriptors, curl's
    std::size_t open_now = 0;            // stdio, a simulator's pipe, ... (and the directory read here)
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) (void)entry, ++open_now;
    const std::size_t limit = open_file_limit();
    const std::size_t room = limit > open_now + reserve ? (limit - open_now - reserve) / descriptors_each : 0;
    if (wanted <= room) return workers <= 0 ? 0 : wanted;
    const std::size_t cap = std::max<std::size_t>(room, 1);
    err << program << ": the open-file limit (" << limit << ") leaves room for " << room
        << " connections at once (" << descriptors_each << " descriptors each; " << open_now << " are open, "
        << reserve << " kept for other files), fewer than the " << wanted << " wanted: capping requests in flight at " << cap
        << "; the other URLs wait their turn, so the run takes longer (raise the limit, `ulimit -n`, up to the hard "
           "limit, `ulimit -Hn`, to lift the cap)\n";
    return cap;
}

}  // namespace tour
