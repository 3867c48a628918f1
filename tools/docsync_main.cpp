// docsync check [ROOT]   report code blocks in docs/*.md and README.md that differ from the code
// docsync write [ROOT]   rewrite those blocks from the code
// Exit status: 0 all in step, 1 differences (or problems) remain, 2 bad usage.
#include <iostream>
#include <string>

#include "docsync.hpp"

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if ((mode != "check" && mode != "write") || argc > 3) {
        std::cerr << "usage: docsync check|write [ROOT]\n"
                     "  check: list code blocks in the docs that differ from the marked code regions\n"
                     "  write: rewrite those blocks from the code\n";
        return 2;
    }
    const std::filesystem::path root = argc > 2 ? argv[2] : ".";
    std::size_t problems = 0, files = 0;
    for (const auto& doc : docsync::markdown_files(root)) {
        ++files;
        for (const auto& p : docsync::sync_file(root, doc, mode == "write")) {
            std::cerr << p.where << ": " << p.message << '\n';
            ++problems;
        }
    }
    std::cout << "docsync: " << files << " files, " << problems << " problems\n";
    return problems == 0 ? 0 : 1;
}
