// One HTTP GET with libcurl, and the record every model produces for every URL.
//
// Rules this file follows (the docs explain each):
//  * curl_global_init runs once, in main, before any thread exists: see CurlGlobal for why.
//  * A CURL easy handle belongs to one thread at a time and is never shared: HttpSession owns one.
//  * Keeping one handle for many requests keeps the connection alive (the C++ requests.Session).
//  * Success means a complete response: curl's result code is CURLE_OK, the headers ended (with
//    their blank line), a gzip/deflate body reached the end of its compressed stream, and the
//    HTTP status is 2xx. A truncated body is an error even when the status line said 200.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <functional>
#include <string>

#include <curl/curl.h>

#include "common/hash.hpp"
#include "common/stop.hpp"

struct z_stream_s;  // zlib's decoder state (zlib.h stays out of this header)

namespace tour {

using Clock = std::chrono::steady_clock;  // never system_clock: it can jump while we measure

struct FetchOptions {
    std::chrono::milliseconds total_timeout{30'000};   // --timeout: the whole request
    std::chrono::milliseconds connect_timeout{10'000}; // TCP (+TLS) connect
    long max_redirects = 5;                            // redirects followed, then an error
    std::uint64_t max_body_bytes = 64ull << 20;        // a larger body is an error, not a crash
    std::string ca_file;                               // --cacert: an extra CA bundle
};

// What happened to one URL. Every model returns exactly one FetchResult per input URL.
struct FetchResult {
    std::string url;
    long http_status = 0;         // 0 when no response arrived
    std::uint64_t bytes = 0;      // body bytes received
    std::uint64_t body_hash = 0;  // BodyHash of the body: tests check content, not only length
    Clock::time_point start{};    // when this request started...
    Clock::time_point end{};      // ...and ended (for timelines)
    int worker = 0;               // which thread / process / lane fetched it
    std::string error;            // empty on success, otherwise the reason, for a human
    // Not none when a stop cost this URL: never started, or aborted mid-transfer. Then `error` is
    // cancelled_text(cancelled) and the report counts it apart from the failures.
    StopReason cancelled = StopReason::none;

    bool ok() const { return error.empty(); }
    bool was_cancelled() const { return cancelled != StopReason::none; }
    bool failed() const { return !ok() && !was_cancelled(); }
};

// The result of a URL that a stop kept from starting: error "cancelled (deadline)" etc. Every
// model reports the URLs it did not start with this, never drops them.
FetchResult cancelled(const std::string& url, StopReason reason);

// curl_global_init/curl_global_cleanup, once per program, in main, before any thread starts.
// Why: curl_global_init is thread-safe only since libcurl 7.84.0 and only in builds that say so
// (CURL_VERSION_THREADSAFE; `curl -V` lists "threadsafe"); elsewhere it may initialise libraries
// (TLS, ...) that are not. Once, first, is right with every libcurl: it pairs one init with one
// cleanup, and keeps curl_easy_init from calling it implicitly from some thread.
// Also ignores SIGPIPE: a peer that closes a socket we write to must give us an error code, not
// kill the process.
class CurlGlobal {
public:
    CurlGlobal();
    ~CurlGlobal();
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
};

// Per-transfer state the write callback fills in; shared by the easy (blocking) interface and
// the multi (event loop) interface so both behave identically.
struct TransferState {
    std::uint64_t bytes = 0;  // body bytes after decoding
    BodyHash body_hash;
    std::uint64_t max_bytes = 0;
    bool too_large = false;
    // libcurl 7.88 reports CURLE_OK and status 200 for a response cut inside its headers
    // ("HTTP/1.1 200 OK\r\nContent-Le", then close): the header callback sets this only when the
    // blank line that ends the last response's headers has arrived.
    bool headers_complete = false;
    // libcurl 7.88 also accepts a gzip body whose compressed stream never ends (it checks the CRC
    // only when the end arrives), so the tour decodes gzip/deflate itself and checks that the
    // decoder saw the end. `content_encoding` is the last response's Content-Encoding.
    std::string content_encoding;
    std::unique_ptr<z_stream_s, void (*)(z_stream_s*)> inflater{nullptr, nullptr};
    bool compressed_stream_ended = false;
    std::uint64_t compressed_bytes = 0;  // body bytes as they came off the wire
    std::string decode_error;            // why the body could not be decoded
    const RunStop* stop = nullptr;       // asked by the progress callback: abort when it says stop
    char error_buffer[CURL_ERROR_SIZE] = {};
    // errno of a socket() that failed (EMFILE: this process is out of file descriptors): libcurl
    // 7.88 reports it as "Couldn't connect to server" and keeps no errno (CURLINFO_OS_ERRNO 0).
    int socket_errno = 0;
};

// Set every option a tour request uses on `handle` (URL, protocols, timeouts, redirects, body
// counting into `state`). `state` must outlive the transfer. With a `stop`, libcurl's progress
// callback (CURLOPT_XFERINFOFUNCTION) aborts the transfer once stop->stop_requested(): libcurl
// calls it many times a second while data flows, and while it waits too (its manual promises
// about once a second; libcurl 7.88 here did about every 0.2 s), so that is how long an abort
// takes in the easy interface. `stop` must outlive the transfer.
void prepare_transfer(CURL* handle, const std::string& url, const FetchOptions& options,
                      TransferState& state, const RunStop* stop = nullptr);

// Turn curl's result code and the response into the error text of `result` ("" on success),
// filling http_status and bytes. A transfer our progress callback aborted is cancelled
// (result.cancelled = the stop's reason), not an error.
void finish_transfer(CURL* handle, CURLcode code, const TransferState& state, FetchResult& result);

// A blocking HTTP client that reuses one connection (like requests.Session). Not thread-safe:
// give each thread its own.
class HttpSession {
public:
    // With a `stop`, a get() in progress is aborted when it says stop (see prepare_transfer);
    // `stop` must outlive the session.
    explicit HttpSession(FetchOptions options = {}, const RunStop* stop = nullptr);
    ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    // GET `url`, reading and counting the whole body. Never throws for network or HTTP
    // errors: they are reported in FetchResult::error.
    FetchResult get(const std::string& url);

private:
    FetchOptions options_;
    const RunStop* stop_;
    CURL* handle_;
};

// One session's way to fetch a URL: an HttpSession's get, or a test's stand-in.
using Fetch = std::function<FetchResult(const std::string& url)>;

// Makes a new session and returns its fetch function: the models that run many sessions (a
// thread's, a worker process's) take one of these, so a test can hand them its own sessions.
using NewSession = std::function<Fetch()>;

// What the programs use: each call makes a new HttpSession with `options` (and `stop`: see
// HttpSession). A test's own NewSession that wants the stop captures its RunStop itself.
NewSession http_sessions(const FetchOptions& options, const RunStop* stop = nullptr);

}  // namespace tour
