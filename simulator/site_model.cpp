// The simulator's model: everything is a pure function of (seed, path), so the server, the
// clients and the tests agree on every page without sharing any state.
#include "simulator/site_model.hpp"

#include <algorithm>
#include <array>
#include <bit>

namespace sitesim {
namespace {

// mix() turns a weak hash (FNV-1a of a short path) into 64 well-mixed bits, so "/site/1" and
// "/site/2" get unrelated latencies and sizes.
using tour::fnv1a_offset_basis;
using tour::fnv1a_update;
using tour::mix;

// 64 printable characters: a 6-bit hash slice picks one.
constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .";
static_assert(alphabet.size() == 64);
constexpr std::size_t line_length = 64;  // every 64th byte is '\n': bodies read as text

std::uint64_t path_key(std::string_view path) { return mix(fnv1a_update(fnv1a_offset_basis, path)); }

// One hash per 64-byte line; each column takes a different rotation of it. Cheap enough to
// serve megabytes per second, and any cut, shift or corruption changes the body's hash.
std::uint64_t line_hash(std::uint64_t key, std::size_t line) { return mix(key ^ line); }

char byte_in_line(std::uint64_t hash, std::size_t column) {
    if (column == line_length - 1) return '\n';
    return alphabet[std::rotl(hash, static_cast<int>(column * 7)) & 63];
}

}  // namespace

std::string site_path(std::size_t index) { return "/site/" + std::to_string(index); }

PageSpec page_spec(const SiteParams& params, std::string_view path) {
    // FNV-1a over the path, started from a seed-dependent basis, then mixed: a new seed is a
    // new world. Two independent draws come from the hash and a second mix of it.
    const std::uint64_t h1 = mix(fnv1a_update(fnv1a_offset_basis ^ mix(params.seed), path));
    const std::uint64_t h2 = mix(h1);
    const std::uint64_t m = params.mean_latency_ms > 0 ? static_cast<std::uint64_t>(params.mean_latency_ms) : 0;
    // Uniform over [M/2, M/2 + M]: the mean is about M, the spread is real (modulo bias ~M/2^64).
    const std::uint64_t latency = m == 0 ? 0 : m / 2 + h1 % (m + 1);
    const std::uint64_t bytes = min_page_bytes + h2 % (max_page_bytes - min_page_bytes + 1);
    return PageSpec{std::chrono::milliseconds(latency), static_cast<std::size_t>(bytes)};
}

char body_byte(std::string_view path, std::size_t offset) {
    return byte_in_line(line_hash(path_key(path), offset / line_length), offset % line_length);
}

void fill_body(std::string_view path, std::size_t offset, std::span<char> out) {
    // Hash the path once and each line once, not once per byte: sitesim makes every body it
    // sends here, and at 10,000 pages (650 MB) per-byte hashing was a fifth of the CPU the
    // whole run needed, on the cores the clients being measured share (docs/04-asio.md).
    const std::uint64_t key = path_key(path);
    std::size_t i = 0;
    while (i < out.size()) {
        const std::size_t at = offset + i;
        const std::uint64_t hash = line_hash(key, at / line_length);
        const std::size_t end = std::min(out.size(), i + (line_length - at % line_length));  // this line's last byte
        for (std::size_t column = at % line_length; i < end; ++i, ++column) out[i] = byte_in_line(hash, column);
    }
}

std::uint64_t expected_body_hash(std::string_view path, std::size_t bytes) {
    std::array<char, 4096> chunk;
    tour::BodyHash hash;
    for (std::size_t done = 0; done < bytes;) {
        const std::size_t n = std::min(chunk.size(), bytes - done);
        fill_body(path, done, std::span(chunk.data(), n));
        hash.update(std::string_view(chunk.data(), n));
        done += n;
    }
    return hash.value();
}

}  // namespace sitesim
