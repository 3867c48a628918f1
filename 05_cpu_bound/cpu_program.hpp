// Chapter 5's plumbing: the command line, timing, checking against the reference and the
// report. (The models are in cpu_models.cpp; nothing here is needed to understand them.)
#pragma once

#include <iosfwd>

namespace cpu {

// The whole 05_cpu_bound program. Exit status: 0 every model matched the reference;
// 1 a model failed or its checksum differed; 2 bad usage.
int run_program(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace cpu
