#include "simulator/request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "common/text.hpp"

namespace sitesim {
namespace {

using tour::trim;
constexpr auto lowercase = tour::to_lower;

bool is_method_char(char c) { return c >= 'A' && c <= 'Z'; }

// Could `buffer` (no newline yet) still grow into a request line? Methods are short and
// uppercase, so a binary blob or a stray "hello" fails at once.
bool could_start_request(std::string_view buffer) {
    const auto space = buffer.find(' ');
    const auto method = buffer.substr(0, space);
    if (space == 0 || method.size() > 8) return false;
    return std::all_of(method.begin(), method.end(), is_method_char);
}

// "GET /site/1 HTTP/1.1": exactly three parts separated by single spaces.
std::optional<RequestHead> parse_request_line(std::string_view line, std::string& error) {
    const auto first = line.find(' ');
    const auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
        error = "malformed request line";
        return std::nullopt;
    }
    const auto method = line.substr(0, first);
    const auto target = line.substr(first + 1, second - first - 1);
    const auto version = line.substr(second + 1);
    if (method != "GET" && method != "HEAD") {
        error = "only GET and HEAD are supported";
        return std::nullopt;
    }
    const bool printable = std::all_of(target.begin(), target.end(), [](char c) { return c > ' ' && c < 127; });
    if (target.empty() || target.front() != '/' || !printable) {
        error = "bad request target";
        return std::nullopt;
    }
    if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." || version[7] < '0' || version[7] > '9') {
        error = "not HTTP/1.x";
        return std::nullopt;
    }
    // HTTP/1.1 connections are persistent by default; HTTP/1.0 ones are not.
    return RequestHead{std::string(method), std::string(target), version[7] != '0'};
}

HeadParse fail(HeadStatus status, std::string error) { return HeadParse{status, {}, 0, std::move(error)}; }

// Parses a non-negative decimal number up to `max`; nullopt for anything else.
std::optional<std::size_t> parse_number(std::string_view text, std::size_t max) {
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

std::optional<Fault> parse_fault(std::string_view name) {
    if (name == "reset") return Fault::reset;
    if (name == "stall") return Fault::stall;
    if (name == "slowbody") return Fault::slowbody;
    if (name == "garbage") return Fault::garbage;
    if (name == "redirect") return Fault::redirect;
    if (name == "truncate") return Fault::truncate;
    return std::nullopt;
}

}  // namespace

HeadParse parse_request_head(std::string_view buffer) {
    // Lines end in "\r\n"; a bare "\n" is accepted too (be lenient in what you accept).
    std::size_t pos = 0;
    auto next_line = [&]() -> std::optional<std::string_view> {
        const auto newline = buffer.find('\n', pos);
        if (newline == std::string_view::npos) return std::nullopt;
        auto line = buffer.substr(pos, newline - pos);
        pos = newline + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return line;
    };
    const auto unfinished = [&] {
        return buffer.size() >= max_request_head ? fail(HeadStatus::too_large, "request head over 16 KiB")
                                                 : HeadParse{};
    };

    const auto request_line = next_line();
    if (!request_line) {
        return could_start_request(buffer) ? unfinished() : fail(HeadStatus::bad, "not an HTTP request");
    }
    HeadParse result;
    auto head = parse_request_line(*request_line, result.error);
    if (!head) return fail(HeadStatus::bad, result.error);

    while (const auto line = next_line()) {
        if (line->empty()) {  // the blank line: the head is complete
            if (pos > max_request_head) break;
            return HeadParse{HeadStatus::complete, std::move(*head), pos, {}};
        }
        const auto colon = line->find(':');
        if (colon == std::string_view::npos || colon == 0) return fail(HeadStatus::bad, "malformed header line");
        const auto name = lowercase(line->substr(0, colon));
        const auto value = lowercase(trim(line->substr(colon + 1)));
        if (name == "connection") {
            if (value.find("close") != std::string::npos) head->keep_alive = false;
            if (value.find("keep-alive") != std::string::npos) head->keep_alive = true;
        }
        // A body would be read as the next request: refuse rather than desynchronise.
        if ((name == "content-length" && value != "0") || name == "transfer-encoding") {
            return fail(HeadStatus::bad, "requests with a body are not supported");
        }
    }
    return unfinished();
}

PageParse parse_page_request(const SiteParams& params, std::string_view target) {
    const auto question = target.find('?');
    const auto path = target.substr(0, question);
    const auto query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

    PageParse result;
    PageRequest& page = result.page;
    const PageSpec spec = page_spec(params, path);
    page.path = std::string(path);
    page.delay = spec.latency;
    page.bytes = spec.bytes;

    std::string kept_query;  // the query without fault=..., for a redirect to "the same page"
    bool has_location = false;
    for (std::size_t start = 0; start <= query.size() && !query.empty();) {
        const auto end = std::min(query.find('&', start), query.size());
        const auto pair = query.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) continue;
        const auto equals = pair.find('=');
        const auto key = pair.substr(0, equals);
        const auto value = equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1));
        if (key != "fault") kept_query += (kept_query.empty() ? "" : "&") + std::string(pair);

        if (key == "delay_ms") {
            const auto n = parse_number(value, 600'000);  // at most 10 minutes
            if (!n) result.error = "bad delay_ms: " + tour::printable(value);
            else page.delay = std::chrono::milliseconds(*n);
        } else if (key == "bytes") {
            const auto n = parse_number(value, std::size_t{1} << 30);  // at most 1 GiB
            if (!n) result.error = "bad bytes: " + tour::printable(value);
            else page.bytes = *n;
        } else if (key == "status") {
            // 1xx, 204 and 304 cannot carry a body, and this one always does.
            const auto n = parse_number(value, 599);
            if (!n || *n < 200 || *n == 204 || *n == 304) result.error = "bad status: " + tour::printable(value);
            else page.status = static_cast<int>(*n);
        } else if (key == "fault") {
            const auto fault = parse_fault(value);
            if (!fault) result.error = "unknown fault: " + tour::printable(value);
            else page.fault = *fault;
        } else if (key == "to") {
            // It goes into the Location header: a CR LF in it would end that header and start
            // one of the client's choosing (response splitting). No control bytes at all.
            const bool control = std::any_of(value.begin(), value.end(), [](char c) {
                const auto b = static_cast<unsigned char>(c);
                return b < 0x20 || b == 0x7F;
            });
            if (control) result.error = "bad to: " + tour::printable(value) + " (control characters)";
            page.location = value;
            has_location = true;
        }
        if (!result.error.empty()) return result;
    }
    if (page.fault == Fault::redirect && !has_location) {
        page.location = page.path + (kept_query.empty() ? "" : "?" + kept_query);
    }
    return result;
}

std::string percent_decode(std::string_view text) {
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
            out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace sitesim
