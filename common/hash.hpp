// The hash functions the simulator and its clients share, so that a client can check every
// byte it received against what the simulator says it sent (and chapter 5 can checksum primes).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tour {

// FNV-1a, 64 bit: for each byte, hash ^= byte; hash *= prime. Short keys (a page's path) are
// hashed this way; bodies with BodyHash, below.
inline constexpr std::uint64_t fnv1a_offset_basis = 14695981039346656037ULL;
inline constexpr std::uint64_t fnv1a_prime = 1099511628211ULL;

constexpr std::uint64_t fnv1a_update(std::uint64_t hash, std::string_view bytes) {
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= fnv1a_prime;
    }
    return hash;
}

// The check of a page body that every client computes and sitesim::expected_body_hash predicts:
// FNV-1a's step (hash ^= x; hash *= prime) over 8-byte little-endian words instead of bytes, the
// last word zero-padded, then the length folded in. Why words: each step must wait for the
// previous step's multiply, so byte-wise FNV-1a is one long chain of multiplies, one per byte;
// over words the chain is eight times shorter, and a client checking every body it receives
// (chapter 4 checks hundreds of megabytes on one thread) spends that much less of its CPU on
// the check. Chapter 4 has the measurement. Fed in pieces of any size (curl hands a body over
// in chunks), it gives the same value as fed all at once.
class BodyHash {
public:
    void update(std::string_view bytes) {
        std::size_t i = 0;
        for (; i < bytes.size() && (length_ % 8 != 0 || bytes.size() - i < 8); ++i) add_byte(bytes[i]);
        // Whole words: the fast path. Locals, not members, so the compiler keeps them in
        // registers (a store through `char*` data might otherwise alias them).
        std::uint64_t hash = hash_;
        const std::size_t words = (bytes.size() - i) / 8;
        for (std::size_t w = 0; w < words; ++w, i += 8) {
            std::uint64_t word;
            std::memcpy(&word, bytes.data() + i, 8);  // one load
            if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
            hash = (hash ^ word) * fnv1a_prime;
        }
        hash_ = hash;
        length_ += 8 * words;
        for (; i < bytes.size(); ++i) add_byte(bytes[i]);
    }
    constexpr std::uint64_t value() const {
        std::uint64_t h = hash_;
        if (length_ % 8 != 0) h = (h ^ word_) * fnv1a_prime;
        return (h ^ length_) * fnv1a_prime;
    }

private:
    constexpr void add_byte(char c) {
        word_ |= std::uint64_t{static_cast<unsigned char>(c)} << (8 * (length_ % 8));
        if (++length_ % 8 == 0) {
            hash_ = (hash_ ^ word_) * fnv1a_prime;
            word_ = 0;
        }
    }
    std::uint64_t hash_ = fnv1a_offset_basis;
    std::uint64_t word_ = 0;    // the bytes of an incomplete word
    std::uint64_t length_ = 0;  // bytes so far
};

// splitmix64's finaliser: 64 well-mixed bits from any 64-bit input, so that neighbouring inputs
// ("/site/1", "/site/2"; consecutive primes) give unrelated outputs.
constexpr std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

}  // namespace tour
