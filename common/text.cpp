#include "common/text.hpp"

#include <cstdint>
#include <cstdio>

namespace tour {
namespace {

// The length of the UTF-8 sequence at the start of `text` and its code point, or 0 when the
// bytes there are not valid UTF-8 (bad lead byte, missing or bad continuation, overlong form,
// surrogate, beyond U+10FFFF).
std::size_t utf8_sequence(std::string_view text, char32_t& code_point) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    char32_t min = 0;
    if (lead < 0x80) {
        code_point = lead;
        return 1;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2, code_point = lead & 0x1F, min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, code_point = lead & 0x0F, min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, code_point = lead & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (text.size() < length) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80) return 0;
        code_point = (code_point << 6) | (byte(i) & 0x3F);
    }
    if (code_point < min || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
    return length;
}

// Code points that change how a terminal shows the rest: C0, DEL, C1, and the bidirectional
// and zero-width format characters.
bool is_control(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

}  // namespace

std::string printable(std::string_view text, std::size_t max) {
    static constexpr char hex[] = "0123456789abcdef";
    const std::string_view shown = text.substr(0, max);
    std::string out;
    for (std::size_t i = 0; i < shown.size();) {
        char32_t code_point = 0;
        std::size_t length = utf8_sequence(shown.substr(i), code_point);
        const bool keep = length > 0 && !is_control(code_point);
        if (length == 0) length = 1;
        for (std::size_t k = i; k < i + length; ++k) {
            if (keep) {
                out += shown[k];
            } else {
                const auto b = static_cast<unsigned char>(shown[k]);
                out += "\\x";
                out += hex[b >> 4];
                out += hex[b & 0xF];
            }
        }
        i += length;
    }
    if (text.size() > max) out += "... (" + std::to_string(text.size()) + " bytes)";
    return out;
}

std::string with_thousands(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string seconds_text(std::chrono::milliseconds ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", std::chrono::duration<double>(ms).count());
    return text;
}

std::optional<std::string> plain_decimal(std::string_view text) {
    auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    std::string out;
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) out += text[i++];
    const std::size_t first_digit = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    std::string_view whole = text.substr(first_digit, i - first_digit);
    while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
    out += whole;
    bool any_digit = !whole.empty();
    if (i < text.size() && text[i] == '.') {
        const std::size_t fraction = i++;
        while (i < text.size() && is_digit(text[i])) ++i;
        any_digit = any_digit || i > fraction + 1;
        out += text.substr(fraction, i - fraction);
    }
    if (!any_digit) return std::nullopt;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        const std::size_t exponent = i++;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        const std::size_t digits = i;
        while (i < text.size() && is_digit(text[i])) ++i;
        if (i == digits) return std::nullopt;
        out += text.substr(exponent, i - exponent);
    }
    if (i != text.size()) return std::nullopt;
    return out;
}

}  // namespace tour
