// docsync: keeps the code blocks quoted in the docs identical to the compiled code.
//
// In a source file, a region is marked by two comment lines:
//     // [docs:download_all]
//     ...code...
//     // [/docs:download_all]
// (`#` comments work too, for CMake and Python files.) In a Markdown file, the line
//     <!-- snippet: 01_serial/serial.cpp#download_all -->
// must be followed by a fenced block holding exactly that region: common indentation removed,
// any nested marker lines dropped. `docsync check` reports every block that differs (the
// docs.snippets test runs it); `docsync write` rewrites the blocks from the code.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace docsync {

struct Problem {
    std::string where;    // "docs/01-serial.md:42"
    std::string message;  // what is wrong
};

// The lines of region `name` in `source` (throws std::runtime_error if absent or unclosed).
std::vector<std::string> extract_region(const std::filesystem::path& source, const std::string& name);

// Check (or, with `write`, fix) every snippet in the Markdown file `doc`; paths in snippet
// lines are relative to `root`. Returns the problems found (after a write: those it could not fix).
std::vector<Problem> sync_file(const std::filesystem::path& root, const std::filesystem::path& doc, bool write);

// Every *.md under root/docs, plus root/README.md.
std::vector<std::filesystem::path> markdown_files(const std::filesystem::path& root);

}  // namespace docsync
