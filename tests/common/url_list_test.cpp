#include <doctest/doctest.h>

#include <filesystem>

#include <unistd.h>

#include "common/url_list.hpp"
#include "run_program.hpp"

using tour::InputError;
using tour::read_url_list;
using tour::url_problem;
using tour_test::TempFile;

namespace {
// The message of the InputError that reading `contents` as a URL list throws ("" if none).
std::string error_for(const std::string& contents) {
    TempFile file(contents);
    try {
        read_url_list(file.path());
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("comments, blank lines and surrounding space are skipped") {
    TempFile file("# my sites\n\n  https://www.jython.org  \n\t# indented comment\nhttp://olympus.realpython.org/dice\r\n");
    const auto urls = read_url_list(file.path());
    CHECK(urls == std::vector<std::string>{"https://www.jython.org", "http://olympus.realpython.org/dice"});
}

TEST_CASE("only http:// and https:// are accepted") {
    CHECK_FALSE(url_problem("http://127.0.0.1:8080/site/1"));
    CHECK_FALSE(url_problem("HTTPS://Example.org"));
    for (const char* bad : {"file:///etc/passwd", "ftp://example.org/x", "gopher://example.org", "dict://x"}) {
        CAPTURE(bad);
        const auto problem = url_problem(bad);
        REQUIRE(problem);
        CHECK(problem->find("unsupported scheme") != std::string::npos);
    }
    CHECK(url_problem("example.org"));
    CHECK(url_problem("http://"));
    CHECK(url_problem("http:///path"));
    CHECK(url_problem("http://exa mple.org"));
}

TEST_CASE("a bad line is reported with file, line number and reason") {
    TempFile file("http://ok.example\n# fine\nfile:///etc/passwd\n");
    try {
        read_url_list(file.path());
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        const std::string message = e.what();
        CHECK(message.find(file.path().string() + ":3: ") == 0);
        CHECK(message.find("file://") != std::string::npos);
    }
    CHECK(error_for("http://a.example\nnot a url\n").find(":2: ") != std::string::npos);
}

TEST_CASE("missing, empty and directory inputs are rejected clearly") {
    CHECK(error_for("") .find("no URLs") != std::string::npos);
    CHECK(error_for("# only comments\n\n").find("no URLs") != std::string::npos);
    CHECK_THROWS_WITH_AS(read_url_list("/nonexistent/urls.txt"), "/nonexistent/urls.txt: no such file", InputError);
    CHECK_THROWS_AS(read_url_list("/"), InputError);
}

TEST_CASE("an unreadable file is rejected clearly, never read as an empty list") {
    // A file that opens but cannot be read: the kernel refuses to read address 0 of our own
    // memory (EIO). This works as root too, where permission bits do not stop a read.
    try {
        read_url_list("/proc/self/mem");
        FAIL("reading /proc/self/mem as a URL list should fail");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()) == "/proc/self/mem: read error");
    }
    // A file we may not open: only testable when not root (root ignores permission bits).
    if (::geteuid() != 0) {
        TempFile file("http://example.org/\n");
        std::filesystem::permissions(file.path(), std::filesystem::perms::none);
        CHECK_THROWS_WITH_AS(read_url_list(file.path()), doctest::Contains("cannot be read"), InputError);
    } else {
        MESSAGE("running as root: the permission-denied case cannot be set up, skipped");
    }
}
