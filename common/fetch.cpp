#include "common/fetch.hpp"

#include <memory>

#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <string>

#include <sys/socket.h>
#include <zlib.h>

#include "common/posix.hpp"  // open_file_limit
#include "common/text.hpp"

namespace tour {

CurlGlobal::CurlGlobal() {
    // A write to a socket the peer has closed raises SIGPIPE, whose default action ends the
    // process. With SIG_IGN the write fails with EPIPE instead and curl reports an error.
    std::signal(SIGPIPE, SIG_IGN);
    if (const CURLcode code = curl_global_init(CURL_GLOBAL_ALL); code != CURLE_OK) {
        throw std::runtime_error(std::string("curl_global_init failed: ") + curl_easy_strerror(code));
    }
}

CurlGlobal::~CurlGlobal() { curl_global_cleanup(); }

namespace {

// Count and hash decoded body bytes (nobody in the tour needs the text itself).
bool take_decoded(TransferState& state, std::string_view piece) {
    if (state.bytes + piece.size() > state.max_bytes) {
        state.too_large = true;
        return false;  // curl stops with CURLE_WRITE_ERROR; finish_transfer explains why
    }
    state.body_hash.update(piece);
    state.bytes += piece.size();
    return true;
}

void end_inflater(z_stream_s* stream) {
    inflateEnd(stream);
    delete stream;
}

// Feed compressed bytes to zlib; false when the data is bad or the decoded body too large.
bool inflate_piece(TransferState& state, std::string_view piece) {
    if (!state.inflater) {
        state.inflater = {new z_stream_s{}, end_inflater};
        // 15 + 32: a zlib or a gzip header, detected from the data ("deflate" is zlib-wrapped).
        if (inflateInit2(state.inflater.get(), 15 + 32) != Z_OK) {
            state.inflater.reset();
            state.decode_error = "cannot start the gzip decoder";
            return false;
        }
    }
    z_stream_s& z = *state.inflater;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
    z.avail_in = static_cast<uInt>(piece.size());
    while (z.avail_in > 0) {
        if (state.compressed_stream_ended) {  // more after the end: another gzip member
            inflateReset(&z);
            state.compressed_stream_ended = false;
        }
        unsigned char out[16 * 1024];
        z.next_out = out;
        z.avail_out = sizeof out;
        const int rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && z.avail_in == 0)) {
            state.decode_error = std::string("bad ") + state.content_encoding + " data (zlib: " +
                                 (z.msg != nullptr ? z.msg : "error " + std::to_string(rc)) + ")";
            return false;
        }
        if (!take_decoded(state, std::string_view(reinterpret_cast<char*>(out), sizeof out - z.avail_out))) return false;
        if (rc == Z_STREAM_END) state.compressed_stream_ended = true;
    }
    return true;
}

// libcurl calls this with each piece of the body as it arrives, as sent (content decoding is
// ours: see TransferState). Returning less than `size` aborts the transfer.
std::size_t count_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto& state = *static_cast<TransferState*>(user);
    const std::size_t n = size * count;
    state.compressed_bytes += n;
    const std::string_view piece(data, n);
    const std::string& encoding = state.content_encoding;
    if (encoding.empty() || encoding == "identity") return take_decoded(state, piece) ? n : 0;
    if (encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate") return inflate_piece(state, piece) ? n : 0;
    state.decode_error = "unsupported Content-Encoding '" + printable(encoding, 40) + "' (asked for gzip or deflate)";
    return 0;
}

// libcurl calls this with each header line, "\r\n" included, of every response (a redirect's, a
// 100 Continue's, then the final one's). A response's headers are complete at its empty line.
std::size_t watch_headers(char* data, std::size_t size, std::size_t count, void* user) {
    auto& state = *static_cast<TransferState*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {  // a status line: a new response begins
        state.headers_complete = false;
        state.content_encoding.clear();
    } else if (line == "\r\n" || line == "\n") {
        state.headers_complete = true;
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos &&
                                                 to_lower(trim(line.substr(0, colon))) == "content-encoding") {
        state.content_encoding = to_lower(trim(line.substr(colon + 1)));
    }
    return n;
}

// libcurl calls this often during a transfer (also while it waits for the server); a non-zero
// return aborts the transfer with CURLE_ABORTED_BY_CALLBACK. Called on the transfer's thread,
// so it may read the stop (atomic) but must not block.
int check_stop(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto& state = *static_cast<const TransferState*>(user);
    return state.stop != nullptr && state.stop->stop_requested() ? 1 : 0;
}

template <typename Value>
void set(CURL* handle, CURLoption option, Value value) {
    if (const CURLcode code = curl_easy_setopt(handle, option, value); code != CURLE_OK) {
        // Only a libcurl built without a feature we rely on gets here: a set-up bug, not a
        // network error, so it is not reported per URL.
        throw std::runtime_error(std::string("curl_easy_setopt failed: ") + curl_easy_strerror(code));
    }
}

// libcurl's socket(), as its default does it, keeping errno when it fails (see TransferState).
curl_socket_t open_socket(void* user, curlsocktype, curl_sockaddr* address) {
    const curl_socket_t fd = ::socket(address->family, address->socktype, address->protocol);
    if (fd == CURL_SOCKET_BAD) static_cast<TransferState*>(user)->socket_errno = errno;
    return fd;
}

}  // namespace

void prepare_transfer(CURL* handle, const std::string& url, const FetchOptions& options,
                      TransferState& state, const RunStop* stop) {
    // [docs:prepare_transfer]
    state = TransferState{};
    state.max_bytes = options.max_body_bytes;
    state.stop = stop;
    set(handle, CURLOPT_URL, url.c_str());
    // Only web protocols, also after a redirect: a server must not be able to send us to
    // file:///etc/passwd or gopher://.
    set(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    set(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    set(handle, CURLOPT_FOLLOWLOCATION, 1L);
    set(handle, CURLOPT_MAXREDIRS, options.max_redirects);
    // Without NOSIGNAL, libcurl may use SIGALRM for DNS timeouts, which is not thread-safe.
    set(handle, CURLOPT_NOSIGNAL, 1L);
    set(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
    set(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
    set(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_body_bytes));
    // Like requests: accept compressed bodies and count the decoded bytes. The header is curl's,
    // the decoding ours (count_body), so that a compressed stream that never ends is an error.
    set(handle, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
    set(handle, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    set(handle, CURLOPT_HEADERFUNCTION, watch_headers);
    set(handle, CURLOPT_HEADERDATA, static_cast<void*>(&state));
    set(handle, CURLOPT_USERAGENT, "cpp-concurrency-tour/" TOUR_VERSION " (libcurl)");
    set(handle, CURLOPT_WRITEFUNCTION, count_body);
    set(handle, CURLOPT_WRITEDATA, static_cast<void*>(&state));
    set(handle, CURLOPT_ERRORBUFFER, state.error_buffer);
    if (!options.ca_file.empty()) set(handle, CURLOPT_CAINFO, options.ca_file.c_str());
    // [/docs:prepare_transfer]
    // [docs:abort_transfer]
    // Stopping a blocking transfer: curl_easy_perform cannot be interrupted from outside, but it
    // calls this callback often, and a non-zero return aborts it.
    set(handle, CURLOPT_XFERINFOFUNCTION, check_stop);
    set(handle, CURLOPT_XFERINFODATA, static_cast<void*>(&state));
    set(handle, CURLOPT_NOPROGRESS, stop != nullptr ? 0L : 1L);
    // [/docs:abort_transfer]
    set(handle, CURLOPT_OPENSOCKETFUNCTION, open_socket);  // only to keep socket()'s errno
    set(handle, CURLOPT_OPENSOCKETDATA, static_cast<void*>(&state));
}

void finish_transfer(CURL* handle, CURLcode code, const TransferState& state, FetchResult& result) {
    // [docs:finish_transfer]
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    result.http_status = status;
    result.bytes = state.bytes;
    result.body_hash = state.body_hash.value();
    if (code == CURLE_ABORTED_BY_CALLBACK && state.stop != nullptr && state.stop->stop_requested()) {
        result.cancelled = state.stop->reason();
        result.error = cancelled_text(result.cancelled);
    } else if (state.too_large || code == CURLE_FILESIZE_EXCEEDED) {
        result.error = "body larger than the limit of " + std::to_string(state.max_bytes) + " bytes";
    } else if (!state.decode_error.empty()) {
        result.error = state.decode_error;
    } else if (code != CURLE_OK) {
        // curl's error buffer says the most ("Connection timed out after 5001 milliseconds");
        // the code's generic text is the fallback.
        std::string detail = state.error_buffer[0] != '\0' ? state.error_buffer : curl_easy_strerror(code);
        result.error = "curl error " + std::to_string(static_cast<int>(code)) + ": " + detail;
    } else if (!state.headers_complete) {  // curl said OK, but the server closed mid-headers
        result.error = "the response ended inside its headers";
    } else if (state.inflater && !state.compressed_stream_ended) {
        result.error = "the " + state.content_encoding + " body ended before its compressed stream did (" +
                       std::to_string(state.compressed_bytes) + " bytes received, cut off)";
    } else if (status < 200 || status > 299) {
        result.error = "HTTP status " + std::to_string(status);
    } else {
        result.error.clear();
    }
    // [/docs:finish_transfer]
    if (!result.ok() && (state.socket_errno == EMFILE || state.socket_errno == ENFILE)) {
        result.error = (state.socket_errno == EMFILE
                            ? "out of file descriptors (limit " + std::to_string(open_file_limit()) + "): "
                            : std::string("the system is out of file descriptors (ENFILE): ")) + result.error;
    }
}

FetchResult cancelled(const std::string& url, StopReason reason) {
    FetchResult result;
    result.url = url;
    result.start = result.end = Clock::now();
    result.cancelled = reason;
    result.error = cancelled_text(reason);
    return result;
}

HttpSession::HttpSession(FetchOptions options, const RunStop* stop)
    : options_(std::move(options)), stop_(stop), handle_(curl_easy_init()) {
    if (handle_ == nullptr) throw std::runtime_error("curl_easy_init failed");
}

HttpSession::~HttpSession() { curl_easy_cleanup(handle_); }

FetchResult HttpSession::get(const std::string& url) {
    FetchResult result;
    result.url = url;
    TransferState state;
    result.start = Clock::now();
    try {
        prepare_transfer(handle_, url, options_, state, stop_);
        const CURLcode code = curl_easy_perform(handle_);  // blocks until done or failed
        result.end = Clock::now();
        finish_transfer(handle_, code, state, result);
    } catch (const std::exception& e) {
        result.end = Clock::now();
        result.error = e.what();
    }
    // The handle keeps a pointer to `state` (our stack frame); clear it before we return so a
    // later call can never write through a dangling pointer.
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(handle_, CURLOPT_HEADERDATA, nullptr);
    curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(handle_, CURLOPT_XFERINFODATA, nullptr);
    curl_easy_setopt(handle_, CURLOPT_NOPROGRESS, 1L);
    return result;
}

NewSession http_sessions(const FetchOptions& options, const RunStop* stop) {
    return [options, stop] {
        auto session = std::make_shared<HttpSession>(options, stop);  // lives as long as the Fetch
        return Fetch([session](const std::string& url) { return session->get(url); });
    };
}

}  // namespace tour
