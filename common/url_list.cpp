#include "common/url_list.hpp"

#include <cctype>
#include <fstream>
#include <system_error>

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
        if (colon == std::string_view::npos) return "not a URL (expected http://host/... or https://host/...)";
        return "unsupported scheme '" + std::string(url.substr(0, colon)) +
               "://' (only http:// and https:// are fetched)";
    }
    const auto host_end = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, host_end);
    if (authority.empty() || authority.front() == ':' || authority.front() == '@') {
        return "URL has no host";
    }
    return std::nullopt;
}

std::vector<std::string> read_url_list(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw InputError(path.string() + ": no such file");
    }
    if (std::filesystem::is_directory(path, ec)) {
        throw InputError(path.string() + ": is a directory, not a URL list");
    }
    std::ifstream in(path);
    if (!in) throw InputError(path.string() + ": cannot be read (permission denied?)");

    std::vector<std::string> urls;
    std::string line;
    for (std::size_t line_number = 1; std::getline(in, line); ++line_number) {
        const std::string_view text = trim(line);
        if (text.empty() || text.front() == '#') continue;
        if (auto problem = url_problem(text)) {
            throw InputError(path.string() + ":" + std::to_string(line_number) + ": " + *problem +
                             ": " + std::string(text));
        }
        urls.emplace_back(text);
    }
    if (in.bad()) throw InputError(path.string() + ": read error");
    if (urls.empty()) throw InputError(path.string() + ": no URLs in the file (only blank or # lines)");
    return urls;
}

}  // namespace tour
