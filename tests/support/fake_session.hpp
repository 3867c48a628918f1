// A test build's stand-in for tour::HttpSession (common/fetch.cpp): a test executable that
// compiles a chapter's model together with fake_session.cpp, instead of linking the real
// fetch.cpp, gets sessions that never touch the network and misbehave on request. This is the
// seam the tests own: the chapters' code has no hook for it.
//
// What the fake does with a URL:
//   fake://throw/TEXT    throws std::runtime_error("boom at TEXT")
//   fake://throw-int     throws 42 (not a std::exception)
//   fake://kill          the calling process dies by SIGKILL (as if the OOM killer chose it)
//   fake://exit/N        the calling process ends with _exit(N)
//   fake://sleep/MS      waits MS milliseconds, then succeeds
//   anything else        succeeds at once: status 200, bytes = the URL's length
#pragma once

#include <cstddef>

namespace tour_test {

// How many fetches have succeeded in this process so far (thread-safe).
std::size_t fake_fetches_done();

}  // namespace tour_test
