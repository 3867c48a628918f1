// Whole-buffer reads and writes on a pipe (or any file descriptor).
//
// read() and write() may transfer less than asked, or be interrupted by a signal (EINTR);
// these loop until the whole buffer is done. Chapter 3's workers and compare's launcher
// process use them to send fixed-size records between processes.
#pragma once

#include <cstddef>

namespace tour {

// Returns false at end of file (the other side closed its end, or died) or on an error.
bool read_all(int fd, void* data, std::size_t size);

// Returns false on an error, e.g. EPIPE when the reader is gone (with SIGPIPE ignored;
// otherwise the signal ends the process first).
bool write_all(int fd, const void* data, std::size_t size);

}  // namespace tour
