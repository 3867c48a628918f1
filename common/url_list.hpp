// Reading the list of URLs a run downloads (the Python demo's `sites` list, from a file).
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tour {

// Bad input from the user (a file, an option): the programs print it and exit with status 2.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Why `url` cannot be fetched by the tour, or std::nullopt when it can. Only http:// and
// https:// with a host are accepted: libcurl speaks many protocols (file://, ftp://, gopher://,
// ...), and a URL list must not become a way to read local files.
std::optional<std::string> url_problem(std::string_view url);

// One URL per line; blank lines and lines starting with '#' are skipped; surrounding
// white space is trimmed. Throws InputError naming "file:line: reason" for a bad line, and
// for a missing, unreadable or empty file.
std::vector<std::string> read_url_list(const std::filesystem::path& path);

}  // namespace tour
