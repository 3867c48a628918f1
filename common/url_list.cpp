#include "common/url_list.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include <memory>

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/output_file.hpp"
#include "common/posix.hpp"
#include "common/text.hpp"

namespace tour {
namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && to_lower(text.substr(0, prefix.size())) == prefix;
}

}  // namespace

std::optional<std::string> url_problem(std::string_view url) {
    if (url.empty()) return "empty URL";
    for (char c : url) {
        if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) {
            return "URL contains white space or a control character";
        }
    }
    std::string_view rest;
    if (starts_with_ignoring_case(url, "http://")) {
        rest = url.substr(7);
    } else if (starts_with_ignoring_case(url, "https://")) {
        rest = url.substr(8);
    } else {
        const auto colon = url.find("://");
        const auto scheme = url.substr(0, colon);
        // A scheme is a short word (RFC 3986: a letter, then letters, digits, + - .). Anything
        // else before "://" is not a URL, and is not echoed: the file may be one that should not
        // be shown (--urls /etc/shadow), so a message says where and what, not the line itself.
        const bool is_scheme = colon != std::string_view::npos && colon <= 20 && colon > 0 &&
                               std::isalpha(static_cast<unsigned char>(scheme.front())) &&
                               std::all_of(scheme.begin(), scheme.end(), [](char c) {
                                   return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
                               });
        if (!is_scheme) return "not a URL (expected http://host/... or https://host/...)";
        return "unsupported scheme '" + std::string(scheme) + "://' (only http:// and https:// are fetched)";
    }
    const auto host_end = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, host_end);
    if (authority.empty() || authority.front() == ':' || authority.front() == '@') {
        return "URL has no host";
    }
    // Then libcurl's own parser, the one the fetch will use: what it refuses here (a port of
    // 99999, "http://[::1", an empty host after "user@") would otherwise pass this check and
    // fail at fetch time as "curl error 3", a network failure instead of bad input.
    const std::unique_ptr<CURLU, void (*)(CURLU*)> parsed(curl_url(), curl_url_cleanup);
    if (!parsed) return "out of memory parsing the URL";
    const std::string text(url);
    if (const CURLUcode code = curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(), 0); code != CURLUE_OK) {
        return std::string("libcurl cannot parse it (") + curl_url_strerror(code) + ")";
    }
    return std::nullopt;
}

std::vector<std::string> read_url_list(const std::filesystem::path& path) {
    const std::string name = path.string();
    if (auto problem = cannot_read(path)) throw InputError(*problem);
    // O_NONBLOCK: a FIFO nobody writes to must not block the open for ever (see below).
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd) throw InputError(name + ": cannot be read (" + std::strerror(errno) + ")");
    struct stat info {};
    if (::fstat(fd.get(), &info) == 0 && S_ISFIFO(info.st_mode)) {
        // A FIFO or a pipe: wait for its writer's first bytes (or its close), a bounded time. A
        // FIFO nobody opens for writing used to hang the program before it said anything.
        pollfd ready{fd.get(), POLLIN, 0};
        int polled = 0;
        for (int waited = 0; waited < fifo_wait_seconds * 10 && polled == 0; ++waited) {
            polled = ::poll(&ready, 1, 100);
            if (polled < 0 && errno == EINTR) polled = 0;
        }
        if (polled == 0) {
            throw InputError(name + ": a FIFO that nothing wrote to in " + std::to_string(fifo_wait_seconds) +
                             " s (start its writer first)");
        }
    }
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);  // then read as usual
    if (::fstat(fd.get(), &info) == 0 && S_ISREG(info.st_mode) &&
        static_cast<std::uint64_t>(info.st_size) > max_url_file_bytes) {  // refused before reading
        throw InputError(name + ": larger than " + std::to_string(max_url_file_bytes >> 20) + " MiB (" +
                         with_thousands(static_cast<std::uint64_t>(info.st_size)) + " bytes)");
    }

    std::vector<std::string> urls;
    std::string line;  // the line being read: never more than max_url_line_bytes
    std::size_t line_number = 1;
    std::size_t total = 0;
    auto finish_line = [&] {
        std::string_view text = trim(line);
        if (line_number == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text = trim(text.substr(3));  // a BOM
        if (!text.empty() && text.front() != '#') {
            if (auto problem = url_problem(text)) {
                // file:line and what is wrong, never the line: it may be a secret (a password
                // file given by mistake); the reader opens the file at that line.
                throw InputError(name + ":" + std::to_string(line_number) + ": " + *problem);
            }
            if (urls.size() == max_urls) throw InputError(name + ": more than " + with_thousands(max_urls) + " URLs");
            urls.emplace_back(text);
        }
        line.clear();
        ++line_number;
    };
    // read(), not std::getline: a stream with no newline (/dev/zero) must stop at the line
    // limit, not grow one std::string until memory runs out.
    char buffer[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw InputError(name + ": read error (" + std::strerror(errno) + ")");
        if (n == 0) break;
        total += static_cast<std::size_t>(n);
        if (total > max_url_file_bytes) {
            throw InputError(name + ": larger than " + std::to_string(max_url_file_bytes >> 20) + " MiB");
        }
        for (const char c : std::string_view(buffer, static_cast<std::size_t>(n))) {
            if (c == '\n') {
                finish_line();
            } else if (line.size() == max_url_line_bytes) {
                throw InputError(name + ":" + std::to_string(line_number) + ": line longer than " +
                                 with_thousands(max_url_line_bytes) + " bytes");
            } else {
                line += c;
            }
        }
    }
    if (!line.empty()) finish_line();
    if (urls.empty()) throw InputError(name + ": no URLs in the file (only blank or # lines)");
    return urls;
}

}  // namespace tour
