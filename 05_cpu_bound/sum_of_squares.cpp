// Real Python's CPU-bound example (the demo itself only downloads), `sum(i * i for i in range(number))` for 20 numbers from
// 5,000,000, written the obvious way in C++. Why chapter 5 counts primes instead:
//
//   ./build/05_cpu_bound/05_sum_of_squares       # g++ 12 -O2: a real loop
//   clang++ -O2 -std=c++20 05_cpu_bound/sum_of_squares.cpp -o /tmp/sos && /tmp/sos
//                                                # clang: the loop became a formula
//
// The times each takes are in docs/deep/05-measuring.md ("The sum-of-squares trap").
// An optimiser may replace this loop by n(n-1)(2n-1)/6 (Clang does; GCC 12 does not, yet).
// A benchmark of it measures the compiler, not the concurrency model.
#include <chrono>
#include <cstdint>
#include <cstdio>

std::uint64_t cpu_bound(std::uint64_t number) {
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < number; ++i) sum += i * i;  // wraps modulo 2^64, unlike Python
    return sum;
}

int main() {
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t total = 0;
    for (std::uint64_t x = 0; x < 20; ++x) total += cpu_bound(5'000'000 + x);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("20 sums of squares (checksum %llu) - Duration: %.6f seconds\n", static_cast<unsigned long long>(total), seconds);
}
