// Exercise 3.1: stdio buffers are copied by fork(). See docs/03-processes.md.
#pragma once

#include <cstdio>

namespace exercise {

// Writes "parent: starting\n" to `out`, forks a child that writes "child: done\n" and ends,
// waits for the child, then writes "parent: done\n". Returns the child's wait status.
// Afterwards `out` must hold those three lines, each exactly once, in that order.
int greet_from_child(std::FILE* out);

}  // namespace exercise
