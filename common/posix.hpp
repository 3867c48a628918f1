// The POSIX pieces several chapters need, written once: owning a file descriptor, whole-buffer
// pipe I/O, reaping a child and saying how it ended, and the process's thread and open-file
// limits. Chapter 3 (processes), chapter 4 (open files), chapter 5 (fork), compare (its
// launcher) and the simulator process (simulator/sitesim_process.cpp) all use these; none writes its own.
#pragma once

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <signal.h>
#include <spawn.h>
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

// posix_spawn `argv` (argv[0] is the program), with `actions` if given. The child starts with
// no signal blocked and SIGINT/SIGTERM at their default action, whatever this process blocks:
// compare blocks both to handle them itself, and a simulator or model that inherited that
// would ignore Ctrl-C and its parent's SIGTERM. posix_spawn, not fork: safe with threads.
// `group`: ProcessGroup::own puts the child in a process group of its own, so that a signal to
// ours (Ctrl-C at a terminal, `timeout`, a closed terminal) does not reach it: only what we send
// it (compare relays one graceful stop to the model it runs). Returns the child's pid; throws
// std::system_error.
enum class ProcessGroup { inherit, own };
pid_t spawn(const std::vector<std::string>& argv, const posix_spawn_file_actions_t* actions = nullptr,
            ProcessGroup group = ProcessGroup::inherit);

// Make this process end with `signal` when its parent dies (Linux's PR_SET_PDEATHSIG), so no
// helper outlives the program that started it, whatever killed that program. `parent` is the
// pid the caller knows as its parent: if it is already gone (it died before this call, and we
// were handed to init), exit at once. Note: "dies" means the parent *thread* that forked or
// spawned us; the tour starts its children from main's thread.
void die_with_parent(pid_t parent, int signal);

// The set of these signals, for pthread_sigmask, signalfd and posix_spawn.
sigset_t signal_set(std::initializer_list<int> signals);

// End this process by `signal` now, from any thread: its default action restored, unblocked in
// this thread, raised. A shell then sees what it expects of an interrupted program (130 for
// SIGINT, 143 for SIGTERM; a loop in a script stops too). The second Ctrl-C of a run, and compare.
[[noreturn]] void die_by(int signal);

// End this process by `signal` when it exits normally (main returns, or exit()): every
// destructor of main's has run by then, the streams are flushed, and only then is the signal
// raised (die_by). The end of a graceful stop after Ctrl-C: the clean-up and the report first,
// and still the death by SIGINT a shell looks for (bash goes on with a `for` loop around a
// program that merely *exited* 130, as if it had handled the Ctrl-C). Callable more than once;
// the last signal given wins.
void die_by_at_exit(int signal);

// How many threads this process has right now (the entries of /proc/self/task). fork() is safe
// only when this is 1.
std::size_t thread_count();

// The soft limit on open files (RLIMIT_NOFILE): 2^20 when unlimited, 0 when it cannot be read.
std::size_t open_file_limit();

// Raise the soft limit on open files (RLIMIT_NOFILE) to the hard limit and return the new soft
// limit (as open_file_limit() reports it). Every connection in flight is one file descriptor, and the usual soft limit (1024) is
// far below 10,000.
std::size_t raise_open_file_limit();

// Every connection in flight holds file descriptors: a socket, and with curl_easy_perform two
// more (the wake-up pair of the multi handle each easy handle keeps inside). `workers`
// connections at once (0: one per URL, `url_count` of them) if the soft open-file limit leaves
// room for them at `descriptors_each`, after the descriptors open now and 16 kept for the files
// still to come (--json, an event loop's own); else as many as there is room for (at least 1),
// with a line on `err` saying so, why, and what to do. Returns the cap, 0 for "one per URL".
std::size_t cap_by_open_files(int workers, std::size_t url_count, std::size_t descriptors_each,
                              std::string_view program, std::ostream& err);

}  // namespace tour
