// A test's sessions for the models that take a tour::NewSession (threads::download_all,
// threads::download_with_futures, processes::download_all): they never touch the network and
// misbehave on request. The seam is the models' own parameter; nothing is replaced at link time.
//
// What a fake session does with a URL:
//   fake://throw/TEXT    throws std::runtime_error("boom at TEXT")
//   fake://throw-int     throws 42 (not a std::exception)
//   fake://kill          the calling process dies by SIGKILL (as if the OOM killer chose it)
//   fake://exit/N        the calling process ends with _exit(N)
//   fake://sleep/MS      waits MS milliseconds, then succeeds; given a RunStop, a stop ends the
//                        wait at once and the URL is cancelled (as an aborted transfer would be)
//   anything else        succeeds at once: status 200, bytes = the URL's length
#pragma once

#include <cstddef>

#include "common/fetch.hpp"

namespace tour_test {

// Each call makes a new fake session. With `stop` (which must outlive the sessions), the
// sessions see the run's stop as real ones do (see fake://sleep above).
tour::NewSession fake_sessions(const tour::RunStop* stop = nullptr);

// How many fetches have succeeded in this process so far (thread-safe).
std::size_t fake_fetches_done();

}  // namespace tour_test
