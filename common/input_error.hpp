// Bad input from the user: a file, a line of it, an option. Every program catches it in main,
// prints it and exits with status 2; whatever reads input throws it with the file and line.
#pragma once

#include <stdexcept>

namespace tour {

class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace tour
