// The drift check itself is checked: a block that differs from its code region is reported,
// and `write` brings it back in step.
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <regex>

#include "docsync.hpp"

namespace {

struct ScratchTree {
    std::filesystem::path root;
    ScratchTree() {
        root = std::filesystem::temp_directory_path() / ("docsync-test-" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(root / "docs");
    }
    ~ScratchTree() { std::filesystem::remove_all(root); }
    void put(const std::string& name, const std::string& text) const { std::ofstream(root / name) << text; }
    std::string get(const std::string& name) const {
        std::ifstream in(root / name);
        return {std::istreambuf_iterator<char>(in), {}};
    }
};

const std::string code =
    "int main() {\n"
    "    // [docs:body]\n"
    "    int x = 1;\n"
    "    // [docs:inner]\n"
    "    return x;\n"
    "    // [/docs:inner]\n"
    "    // [/docs:body]\n"
    "}\n";

}  // namespace

TEST_CASE("a region is dedented and nested markers are dropped") {
    ScratchTree tree;
    tree.put("a.cpp", code);
    CHECK(docsync::extract_region(tree.root / "a.cpp", "body") == std::vector<std::string>{"int x = 1;", "return x;"});
    CHECK_THROWS(docsync::extract_region(tree.root / "a.cpp", "missing"));
}

TEST_CASE("a block in step passes, a drifted block fails, and write repairs it") {
    ScratchTree tree;
    tree.put("a.cpp", code);
    tree.put("docs/ch.md", "Text\n<!-- snippet: a.cpp#body -->\n```cpp\nint x = 1;\nreturn x;\n```\nMore\n");
    CHECK(docsync::sync_file(tree.root, tree.root / "docs/ch.md", false).empty());

    // The code changes under the docs: the check must notice.
    std::string changed = code;
    changed.replace(changed.find("int x = 1;"), 10, "int x = 2;");
    tree.put("a.cpp", changed);
    const auto problems = docsync::sync_file(tree.root, tree.root / "docs/ch.md", false);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].where == "docs/ch.md:2");
    CHECK(problems[0].message.find("int x = 2;") != std::string::npos);

    CHECK(docsync::sync_file(tree.root, tree.root / "docs/ch.md", true).empty());
    CHECK(tree.get("docs/ch.md") == "Text\n<!-- snippet: a.cpp#body -->\n```cpp\nint x = 2;\nreturn x;\n```\nMore\n");
    CHECK(docsync::sync_file(tree.root, tree.root / "docs/ch.md", false).empty());
}

TEST_CASE("a snippet naming a missing region or without a block is a problem") {
    ScratchTree tree;
    tree.put("a.cpp", code);
    tree.put("docs/ch.md", "<!-- snippet: a.cpp#nope -->\n```cpp\n```\n<!-- snippet: a.cpp#body -->\nno fence\n");
    CHECK(docsync::sync_file(tree.root, tree.root / "docs/ch.md", false).size() == 2);
}

// doctest_discover_tests hands test names to CMake as a list, and CMake splits lists at ';'.
// A name with ';' becomes several CTest tests whose filters match nothing, and a doctest run
// that matches nothing passes: the test would silently stop testing. So no name may have one.
TEST_CASE("no test case name contains a semicolon") {
    const std::filesystem::path root = TOUR_SOURCE_DIR;
    const std::regex test_case(R"re(TEST_CASE(?:_FIXTURE)?\s*\((?:[^,"]*,\s*)?"([^"]*)")re");
    std::size_t names = 0;
    for (auto it = std::filesystem::recursive_directory_iterator(root); it != std::filesystem::recursive_directory_iterator(); ++it) {
        const auto& path = it->path();
        const std::string name = path.filename().string();
        if (it->is_directory() && (name.rfind("build", 0) == 0 || name.front() == '.')) {
            it.disable_recursion_pending();  // build trees and .git are not sources
            continue;
        }
        if (!it->is_regular_file() || path.extension() != ".cpp") continue;
        std::ifstream in(path);
        const std::string text{std::istreambuf_iterator<char>(in), {}};
        for (std::sregex_iterator match(text.begin(), text.end(), test_case), end; match != end; ++match) {
            ++names;
            CAPTURE(path);
            CHECK_MESSAGE((*match)[1].str().find(';') == std::string::npos, (*match)[1].str());
        }
    }
    CHECK(names > 20);  // the scan found the suites
}
