// The check for exercise 3.1: the three lines, once each, in order. Every wait is bounded by an
// alarm (tour_check::Alarm, not a watchdog thread: this check forks, and a process forks only
// while it has one thread).
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include <sys/wait.h>

#include "double_output.hpp"
#include "exercise_check.hpp"

namespace {

// Everything written to `file`, from the beginning.
// greet_from_child, with a deadline.
int greet(std::FILE* file) {
    const tour_check::Alarm alarm("greet_from_child did not return: does the child end (and the parent wait for it)?");
    return exercise::greet_from_child(file);
}

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
    INFO("the parent's first line must be written once: if it is there twice, the child inherited it in its copy "
         "of the parent's stdio buffer and wrote it out again when it flushed");
    std::FILE* file = std::tmpfile();  // a file, so stdio buffers it fully, like a pipe
    REQUIRE(file != nullptr);
    const int status = greet(file);
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
        greet(file);
        const std::string text = contents(file);
        std::fclose(file);
        CHECK(text == "parent: starting\nchild: done\nparent: done\n");
    }
}
