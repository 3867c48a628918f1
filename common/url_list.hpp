// Reading the list of URLs a run downloads (the Python demo's `sites` list, from a file).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/input_error.hpp"  // what read_url_list throws

namespace tour {

// Why `url` cannot be fetched by the tour, or std::nullopt when it can. Only http:// and
// https:// with a host are accepted: libcurl speaks many protocols (file://, ftp://, gopher://,
// ...), and a URL list must not become a way to read local files.
std::optional<std::string> url_problem(std::string_view url);

// The limits on a run's list, refused as bad input (exit 2) before anything that size is made:
// URLs in all (after --repeat), the bytes of one line, and of a URL file. Generous for a
// tutorial (the Python demo has 160 URLs), small enough that a mistake such as
// `--urls /dev/zero` or `--sites 1000000 --repeat 100000` ends at once with a message
// instead of eating memory until std::bad_alloc.
inline constexpr std::size_t max_urls = 1'000'000;
inline constexpr std::size_t max_url_line_bytes = 64 * 1024;
inline constexpr std::size_t max_url_file_bytes = 64 * 1024 * 1024;
// How long a URL list that is a FIFO may stay silent before the run gives up (exit 2).
inline constexpr int fifo_wait_seconds = 10;

// One URL per line; blank lines and lines starting with '#' are skipped; surrounding
// white space is trimmed; a UTF-8 byte order mark at the start is skipped. Throws InputError
// naming "file:line: reason" for a bad line (the line quoted with tour::printable), and for a
// missing, unreadable or empty file, or one over the limits above.
std::vector<std::string> read_url_list(const std::filesystem::path& path);

}  // namespace tour
