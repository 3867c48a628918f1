// Chapter 5: proof that nothing was optimised away (05_cpu_bound --scaling). If the compiler
// had folded the work, the time would not grow with the amount of work.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>

namespace cpu {

// Time the serial model on `tasks` tasks at a quarter, half and all of `size` numbers each,
// from `start`, and print the time per number. Returns the exit status: 0, or 1 when a run
// differs from the reference (said on `err`).
int run_scaling_demo(std::ostream& out, std::ostream& err, std::size_t tasks, std::uint64_t size, std::uint64_t start);

}  // namespace cpu
