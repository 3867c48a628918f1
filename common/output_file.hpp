// The files a program names on its command line: checking, before any work, that an input can
// be read and an output written; and writing an output whole or not at all. Every program's
// --json, compare's --timeline and --sweep-chart go through here.
//
// What an output path may be, and what happens:
//  * a regular file, or a name not there yet: written to a temporary file in the same directory,
//    then renamed over it (a failed write leaves the old file whole);
//  * a symbolic link: followed, as a shell's `>` does: the file it points to is replaced (or,
//    for a dangling link, created), the link itself stays;
//  * anything else that exists (/dev/null, /dev/stdout, a FIFO): written in place. A FIFO is
//    only checked for permission before the run, never opened: opening and closing it would
//    give its reader end-of-file, and the real write would then block for ever;
//  * the same file as another input or output of the run: refused before the run.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tour {

// Can `path` be opened for reading, and is it not a directory? std::nullopt when so, otherwise
// "PATH: cannot be read (No such file or directory)" or "PATH: is a directory".
std::optional<std::string> cannot_read(const std::filesystem::path& path);

// Can `path` be written the way write_file writes it? A temporary file is created and removed
// in the directory of the file `path` leads to (through symbolic links). std::nullopt when so,
// otherwise "PATH: cannot be written (Permission denied)" or "PATH: is a directory".
std::optional<std::string> cannot_write(const std::filesystem::path& path);

// Write `text` to `path` whole or not at all, as the header above says. Throws InputError
// (common/url_list.hpp) with the system's reason.
void write_file(const std::filesystem::path& path, const std::string& text);

// Do `a` and `b` name the same file (the same inode, or, for a name not there yet, the same
// place once symbolic links are followed)?
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

// After parsing: the options of `app` that hold paths checked by writable_file (outputs) or
// readable_file (inputs, see common/options.hpp): an output that is the same file as another of
// them is a usage error ("--json: L is also --urls: ..."). std::nullopt when all differ.
std::optional<std::string> same_file_twice(const CLI::App& app);

}  // namespace tour
