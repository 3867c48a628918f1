// The two hash functions the simulator and its clients share, so that a client can check every
// byte it received against what the simulator says it sent (and chapter 5 can checksum primes).
#pragma once

#include <cstdint>
#include <string_view>

namespace tour {

// FNV-1a, 64 bit: for each byte, hash ^= byte; hash *= prime. sitesim::expected_body_hash gives
// the value for a whole simulated page; HttpSession hashes every body it receives the same way.
inline constexpr std::uint64_t fnv1a_offset_basis = 14695981039346656037ULL;
inline constexpr std::uint64_t fnv1a_prime = 1099511628211ULL;

constexpr std::uint64_t fnv1a_update(std::uint64_t hash, std::string_view bytes) {
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= fnv1a_prime;
    }
    return hash;
}

// splitmix64's finaliser: 64 well-mixed bits from any 64-bit input, so that neighbouring inputs
// ("/site/1", "/site/2"; consecutive primes) give unrelated outputs.
constexpr std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

}  // namespace tour
