// 05_cpu_bound: the models of chapters 1-4 on CPU-bound work, where C++ threads and Python
// threads part ways.
//
//   ./build/05_cpu_bound/05_cpu_bound                      # every model, 20 tasks
//   ./build/05_cpu_bound/05_cpu_bound --model threads --workers 4
//   ./build/05_cpu_bound/05_cpu_bound --scaling            # time grows linearly with --size
//   python3 05_cpu_bound/cpu_bound.py                       # the same work in Python
//
// The models are in cpu_models.cpp, the work in workload.cpp, the plumbing in cpu_program.cpp.
#include <iostream>

#include "cpu_program.hpp"

int main(int argc, char** argv) { return cpu::run_program(argc, argv, std::cout, std::cerr); }
