// The simulator's model of "the internet": every path has a deterministic latency and body
// size, derived from a hash of (seed, path). sitesim serves pages by this model, and tests and
// benchmarks use the same functions to know, without asking the server, how many bytes each URL
// must yield and how long an ideal schedule would take.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/hash.hpp"

namespace sitesim {

struct SiteParams {
    std::uint64_t seed = 1;    // --seed: a different seed gives a different, equally fixed world
    int mean_latency_ms = 150; // --latency-ms: latencies are spread uniformly over [M/2, 3M/2]
};

struct PageSpec {
    std::chrono::milliseconds latency;  // how long the server waits before it answers
    std::size_t bytes;                  // the exact body size (Content-Length)
};

// Smallest and largest body the model gives a page (bytes; both inclusive).
inline constexpr std::size_t min_page_bytes = 1024;
inline constexpr std::size_t max_page_bytes = 128 * 1024;

// The path of the index-th site in the simulator's list: "/site/0", "/site/1", ...
std::string site_path(std::size_t index);

// Latency and size of the page at `path` (the path only: no query string).
PageSpec page_spec(const SiteParams& params, std::string_view path);

// The body byte at `offset` of the page at `path`: deterministic, printable text, so a client
// can check content as well as length.
char body_byte(std::string_view path, std::size_t offset);

// body_byte(path, offset + i) for every i in out: the fast way to make (or check) a whole body.
void fill_body(std::string_view path, std::size_t offset, std::span<char> out);

// The tour::BodyHash (common/hash.hpp) of the first `bytes` bytes of the page at `path` (its
// whole body when `bytes` is page_spec(...).bytes).
std::uint64_t expected_body_hash(std::string_view path, std::size_t bytes);

}  // namespace sitesim
