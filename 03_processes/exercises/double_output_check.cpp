// The check for exercise 3.1: the three lines, once each, in order.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include <sys/wait.h>

#include "double_output.hpp"

namespace {

// Everything written to `file`, from the beginning.
std::string contents(std::FILE* file) {
    std::fflush(file);
    std::rewind(file);
    std::string text;
    char buffer[256];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, n);
    return text;
}

}  // namespace

TEST_CASE("each line once: the parent's first line is not written again by the child") {
    std::FILE* file = std::tmpfile();  // a file, so stdio buffers it fully, like a pipe
    REQUIRE(file != nullptr);
    const int status = exercise::greet_from_child(file);
    const std::string text = contents(file);
    std::fclose(file);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(text == "parent: starting\nchild: done\nparent: done\n");
}

TEST_CASE("twice in a row: the same three lines each time") {
    for (int run = 0; run < 2; ++run) {
        CAPTURE(run);
        std::FILE* file = std::tmpfile();
        REQUIRE(file != nullptr);
        exercise::greet_from_child(file);
        const std::string text = contents(file);
        std::fclose(file);
        CHECK(text == "parent: starting\nchild: done\nparent: done\n");
    }
}
