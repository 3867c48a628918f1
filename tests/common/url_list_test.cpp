#include <doctest/doctest.h>

#include <filesystem>

#include <sys/wait.h>
#include <unistd.h>

#include "common/text.hpp"
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
    CHECK_THROWS_WITH_AS(read_url_list("/nonexistent/urls.txt"),
                         "/nonexistent/urls.txt: cannot be read (No such file or directory)", InputError);
    CHECK_THROWS_AS(read_url_list("/"), InputError);
}

TEST_CASE("an unreadable file is rejected clearly, never read as an empty list") {
    // A file that opens but cannot be read: the kernel refuses to read address 0 of our own
    // memory (EIO). This works as root too, where permission bits do not stop a read.
    try {
        read_url_list("/proc/self/mem");
        FAIL("reading /proc/self/mem as a URL list should fail");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()) == "/proc/self/mem: read error (Input/output error)");
    }
}

TEST_CASE("a file we may not open is rejected with the system's reason") {
    TempFile file("http://example.org/\n");
    std::filesystem::permissions(file.path(), std::filesystem::perms::none);
    // Root ignores permission bits, so as root the read is tried as user nobody (65534), in a
    // child process: this one keeps its privileges. The child's exit status says what happened.
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
        try {
            read_url_list(file.path());
            ::_exit(1);
        } catch (const InputError& e) {
            ::_exit(std::string(e.what()).find("cannot be read") != std::string::npos ? 0 : 2);
        } catch (...) {
            ::_exit(4);
        }
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    // 1: read without an error; 2: another message; 3: could not become nobody; 4: another exception
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("a bad line is never echoed: the message says file:line and what is wrong, not the line") {
    // An /etc/shadow-like first line: echoing it would print a password hash.
    const std::string shadow = error_for("root:$y$j9T$SECRETSALT$HASHHASH:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n");
    CHECK(shadow.find(":1: not a URL") != std::string::npos);
    CHECK(shadow.find("SECRET") == std::string::npos);
    CHECK(shadow.find("$y$") == std::string::npos);
    // Binary bytes, escape sequences, a junk "scheme": none of it reaches the terminal.
    const std::string esc = error_for("ab\x1b[31mc\x07://x\n");
    CHECK(esc.find(":1: URL contains white space or a control character") != std::string::npos);
    CHECK(esc.find('\x1b') == std::string::npos);
    CHECK(esc.find("[31m") == std::string::npos);
    CHECK(error_for("ab[31mc://x\n").find(":1: not a URL") != std::string::npos);  // not a scheme: not echoed
    CHECK(error_for("ab[31mc://x\n").find("[31m") == std::string::npos);
    const std::string binary = error_for(std::string("\x7f" "ELF\x02\x01\x01\0\0\0secret", 16) + "\n");
    CHECK(binary.find(":1: URL contains white space or a control character") != std::string::npos);
    CHECK(binary.find("ELF") == std::string::npos);
    CHECK(error_for("http://ok.example/\nhttp://a b/secret\n").find("secret") == std::string::npos);
    // A real scheme is named: it says what was wrong, and is a word, not the file's contents.
    CHECK(error_for("gopher://example.org/secret\n").find(":1: unsupported scheme 'gopher://'") != std::string::npos);
    CHECK(error_for("gopher://example.org/secret\n").find("secret") == std::string::npos);
    // A junk line of 60,000 bytes: a short message.
    const std::string junk = error_for("http://ok.example/\n" + std::string(60'000, 'j') + "\n");
    CHECK(junk.size() < 400);
    CHECK(junk.find(":2: not a URL") != std::string::npos);
}

TEST_CASE("a UTF-8 byte order mark at the start of the file is skipped") {
    TempFile file("\xEF\xBB\xBFhttp://a.example/\nhttp://b.example/\n");
    CHECK(read_url_list(file.path()) == std::vector<std::string>{"http://a.example/", "http://b.example/"});
    // Anywhere else it is not white space: the line is refused.
    CHECK(error_for("http://a.example/\n\xEF\xBB\xBFhttp://b.example/\n").find(":2: ") != std::string::npos);
}

TEST_CASE("limits: a line over 64 KiB and a file over 64 MiB are refused without reading them whole") {
    CHECK(error_for(std::string(tour::max_url_line_bytes + 1, 'x')).find(":1: line longer than 65,536 bytes") !=
          std::string::npos);
    CHECK(error_for("http://a.example/" + std::string(tour::max_url_line_bytes - 17, 'x') + "\n").empty());
    // /dev/zero never ends and has no newline: refused at the line limit, at once.
    CHECK_THROWS_WITH_AS(read_url_list("/dev/zero"), doctest::Contains("/dev/zero:1: line longer than"), InputError);
    // A file that is too large is refused from its size, before reading.
    TempFile big("");
    std::filesystem::resize_file(big.path(), tour::max_url_file_bytes + 1);
    CHECK_THROWS_WITH_AS(read_url_list(big.path()), doctest::Contains("larger than 64 MiB"), InputError);
    // Many short lines from a stream (no size to look at): counted as they are read.
    CHECK(tour::max_urls == 1'000'000);
}

TEST_CASE("printable: control and non-UTF-8 bytes escaped, long text cut with its length") {
    using tour::printable;
    CHECK(printable("http://a.example/") == "http://a.example/");
    CHECK(printable("a\x1b[0mb\x07\t\r\n") == "a\\x1b[0mb\\x07\\x09\\x0d\\x0a");
    CHECK(printable("caf\xC3\xA9") == "caf\xC3\xA9");       // UTF-8 passes
    CHECK(printable("\xff\xfe\x7f") == "\\xff\\xfe\\x7f");  // invalid UTF-8 and DEL do not
    CHECK(printable("\xC3") == "\\xc3");                     // a cut sequence
    CHECK(printable("\xE2\x80\xAE") == "\\xe2\\x80\\xae");  // U+202E reverses the terminal's text
    CHECK(printable(std::string(300, 'a')) == std::string(200, 'a') + "... (300 bytes)");
    CHECK(printable(std::string(10, 'a'), 4) == "aaaa... (10 bytes)");
    CHECK(printable("\xff\xff\xff", 2) == "\\xff\\xff... (3 bytes)");
}
