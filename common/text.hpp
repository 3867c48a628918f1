// Small text helpers the URL list, the reports, the simulator's request parser and chapter 4's
// hand-written HTTP client share.
#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <optional>
#include <cstdint>
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

// `text` made safe to print on a terminal, for every message that quotes input (a URL file's
// line, a URL, a server's error): control bytes, DEL, bytes that are not UTF-8 and the Unicode
// controls that reorder or hide text (C1, bidi overrides) become \xNN, so an ESC from a file
// cannot drive the terminal; valid UTF-8 (an accented host) stays readable. Input longer than
// `max` bytes is cut there and ends with "... (N bytes)", so a 1 MB line is not a 1 MB message.
std::string printable(std::string_view text, std::size_t max = 200);

// A number as a person writes it, in decimal, ready for a parser that would read "010" as octal
// and "0x10" as hex (CLI11 and strtol with base 0 do): an optional sign, digits, an optional
// fraction and exponent. Leading zeros are dropped ("010" -> "10", "-007.5" -> "-7.5").
// std::nullopt for anything else: hex, "inf", "nan", an empty string, inner spaces.
std::optional<std::string> plain_decimal(std::string_view text);

// 5123456 -> "5,123,456": for every count a person reads.
std::string with_thousands(std::uint64_t n);

// 2000 ms -> "2 s", 1500 ms -> "1.5 s": for the messages that name a time limit.
std::string seconds_text(std::chrono::milliseconds ms);

}  // namespace tour
