// Small text helpers the URL list, the simulator's request parser and chapter 4's hand-written
// HTTP client share.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace tour {

// `text` without leading and trailing white space (spaces, tabs, CR, LF).
inline std::string_view trim(std::string_view text) {
    auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

// ASCII lower case (HTTP header names and URL schemes are case-insensitive).
inline std::string to_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace tour
