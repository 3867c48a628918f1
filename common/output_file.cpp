#include "common/output_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "common/posix.hpp"
#include "common/text.hpp"
#include "common/url_list.hpp"

namespace tour {
namespace {

// The file `path` leads to: symbolic links followed (40 at most, the kernel's own limit), the
// last one possibly dangling. Relative targets are relative to the link's directory.
std::filesystem::path through_links(std::filesystem::path path) {
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        if (!std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) return path;
        const auto target = std::filesystem::read_symlink(path, ec);
        if (ec) return path;
        path = target.is_absolute() ? target : path.parent_path() / target;
    }
    return path;  // a loop: the open below reports ELOOP
}

// A directory's name for a file in it ("" -> ".").
std::filesystem::path directory_of(const std::filesystem::path& file) {
    return file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
}

// A new, empty, uniquely named file in `directory` (a short name: a long output name must not
// make it too long, as "NAME.check-XXXXXX" did). Returns its descriptor and path, or errno.
std::pair<Fd, std::filesystem::path> temporary_in(const std::filesystem::path& directory, int& error) {
    std::string name = (directory / ".tour-XXXXXX").string();
    Fd fd(::mkostemp(name.data(), O_CLOEXEC));
    error = errno;
    return {std::move(fd), name};
}

std::string cannot_be_written(const std::filesystem::path& path, int error) {
    return printable(path.string()) + ": cannot be written (" + std::strerror(error) + ")";
}

}  // namespace

std::optional<std::string> cannot_read(const std::filesystem::path& path) {
    if (path.empty()) return "needs a file name, got an empty string";
    // O_NONBLOCK: opening a FIFO nobody writes to must not hang the check.
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    const int error_of_open = errno;
    if (!fd) return printable(path.string()) + ": cannot be read (" + std::strerror(error_of_open) + ")";
    struct stat info {};
    if (::fstat(fd.get(), &info) == 0 && S_ISDIR(info.st_mode)) return printable(path.string()) + ": is a directory";
    return std::nullopt;
}

std::optional<std::string> cannot_write(const std::filesystem::path& path) {
    if (path.empty()) return "needs a file name, got an empty string";
    // Something that is not a regular file (a device, a FIFO, /dev/stdout) is written in place,
    // through `path` itself: stat() follows every link, also /proc's links to a pipe, whose
    // target ("pipe:[1234]") names no file that through_links could find.
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
        if (S_ISDIR(info.st_mode)) return printable(path.string()) + ": is a directory";
        if (S_ISFIFO(info.st_mode)) {  // permission only: see the header
            if (::access(path.c_str(), W_OK) != 0) return cannot_be_written(path, errno);
            return std::nullopt;
        }
        const Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK));  // /dev/null, a terminal
        if (!fd) return cannot_be_written(path, errno);
        return std::nullopt;
    }
    const auto target = through_links(path);  // a regular file, or none yet: replaced in its directory
    int error = 0;
    const auto [fd, probe] = temporary_in(directory_of(target), error);
    if (!fd) return cannot_be_written(path, error);
    ::unlink(probe.c_str());
    return std::nullopt;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) {
        // A device or a FIFO (also /dev/stdout on a pipe): there is nothing to replace, so write
        // in place (blocking: a FIFO's reader may come later).
        const Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
        if (!fd || !write_all(fd.get(), text.data(), text.size())) throw InputError(cannot_be_written(path, errno));
        return;
    }
    const auto target = through_links(path);  // a regular file, or none yet: replaced in its directory
    int error = 0;
    auto [fd, temporary] = temporary_in(directory_of(target), error);
    if (!fd) throw InputError(cannot_be_written(path, error));
    const bool written = write_all(fd.get(), text.data(), text.size());
    error = errno;
    // mkostemp makes the file 0600; an output is as readable as any file the user creates.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd.get(), 0666 & ~mask);
    fd.close();
    std::error_code ec;
    if (!written) {
        std::filesystem::remove(temporary, ec);
        throw InputError(cannot_be_written(path, error));
    }
    std::filesystem::rename(temporary, target, ec);  // atomic: readers see the old file or the new one
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw InputError(printable(path.string()) + ": cannot be written (" + ec.message() + ")");
    }
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
    struct stat first {}, second {};
    if (::stat(a.c_str(), &first) == 0 && ::stat(b.c_str(), &second) == 0) {
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino;
    }
    std::error_code ec1, ec2;
    const auto left = std::filesystem::weakly_canonical(std::filesystem::absolute(through_links(a)), ec1);
    const auto right = std::filesystem::weakly_canonical(std::filesystem::absolute(through_links(b)), ec2);
    return !ec1 && !ec2 && left == right;
}

std::optional<std::string> same_file_twice(const CLI::App& app) {
    struct Named {
        std::string option;
        std::string path;
        bool output;
    };
    std::vector<Named> files;
    for (const CLI::Option* option : app.get_options()) {
        if (option->count() == 0) continue;
        for (const char* kind : {"WRITABLE", "READABLE"}) {
            try {
                const_cast<CLI::Option*>(option)->get_validator(kind);
            } catch (const CLI::OptionNotFound&) {
                continue;
            }
            for (const auto& value : option->results()) files.push_back({option->get_name(), value, kind[0] == 'W'});
        }
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
        for (std::size_t j = 0; j < files.size(); ++j) {
            if (i == j || !files[i].output || (files[j].output && j < i)) continue;
            // /dev/null and /dev/stdout may well be named twice: nothing is replaced there.
            struct stat info {};
            if (::stat(files[i].path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) continue;
            if (same_file(files[i].path, files[j].path)) {
                return files[i].option + ": " + printable(files[i].path) + " is also " + files[j].option +
                       ": the run would overwrite it; name another file";
            }
        }
    }
    return std::nullopt;
}

}  // namespace tour
