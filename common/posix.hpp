// The POSIX pieces several chapters need, written once: owning a file descriptor, whole-buffer
// pipe I/O, reaping a child and saying how it ended, and the process's thread and open-file
// limits. Chapter 3 (processes), chapter 4 (open files), chapter 5 (fork), compare (its
// launcher) and the simulator process (common/sites.cpp) all use these; none writes its own.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include <sys/types.h>

namespace tour {

// Owns a file descriptor: closed exactly once, whatever path we leave by. Move-only, like
// std::unique_ptr: two owners would close it twice (and the second close might hit a
// descriptor number the process has reused for something else).
class Fd {
public:
    explicit Fd(int fd = -1) noexcept : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept;
    ~Fd() { close(); }
    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    void close() noexcept;

private:
    int fd_;
};

// A pipe with O_CLOEXEC on both ends (a program this process spawns later inherits neither).
// Returns {read end, write end}; throws std::system_error.
std::pair<Fd, Fd> make_pipe();

// read() and write() may move less than asked, or be interrupted by a signal (EINTR); these
// loop until the whole buffer is through. read_all returns false at end of file (the writer
// closed its end, or died) or on an error; write_all returns false on an error, e.g. EPIPE when
// the reader is gone (with SIGPIPE ignored; otherwise the signal ends the process first).
bool read_all(int fd, void* data, std::size_t size);
bool write_all(int fd, const void* data, std::size_t size);

// Wait until child `pid` has ended and remove it from the process table (until its parent does
// this, a dead child stays a zombie). Returns its wait status. EINTR is retried. ECHILD means
// `pid` is not a child of ours, or was reaped already: a bug in the caller, so it throws
// std::system_error rather than invent a status.
int reap(pid_t pid);

// What a wait status says, for a human: "exited with status 3", "killed by SIGKILL".
std::string describe_wait_status(int status);

// How many threads this process has right now (the entries of /proc/self/task). fork() is safe
// only when this is 1.
std::size_t thread_count();

// Raise the soft limit on open files (RLIMIT_NOFILE) to the hard limit and return the new soft
// limit. Every connection in flight is one file descriptor, and the usual soft limit (1024) is
// far below 10,000.
std::size_t raise_open_file_limit();

// The soft limit on open files, minus a reserve for the program's other files (stdio, epoll,
// the simulator pipe, --json): how many connections can be open at once.
std::size_t connection_budget();

}  // namespace tour
