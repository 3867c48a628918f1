#include "docsync.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace docsync {
namespace {

std::vector<std::string> read_lines(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

bool is_marker(const std::string& line) {
    static const std::regex marker(R"(^\s*(//|#)\s*\[/?docs:[A-Za-z0-9_.-]+\]\s*$)");
    return std::regex_match(line, marker);
}

bool is_marker_for(const std::string& line, const std::string& name, bool closing) {
    if (!is_marker(line)) return false;
    return line.find(std::string(closing ? "[/docs:" : "[docs:") + name + "]") != std::string::npos;
}

std::vector<std::string> dedent(std::vector<std::string> lines) {
    std::size_t common = std::string::npos;
    for (const auto& line : lines) {
        const auto first = line.find_first_not_of(" \t");
        if (first != std::string::npos) common = std::min(common, first);
    }
    if (common == std::string::npos) common = 0;
    for (auto& line : lines) {
        line = line.size() > common ? line.substr(common) : std::string(line.find_first_not_of(" \t") == std::string::npos ? "" : line);
    }
    return lines;
}

}  // namespace

std::vector<std::string> extract_region(const std::filesystem::path& source, const std::string& name) {
    const auto lines = read_lines(source);
    auto begin = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return is_marker_for(l, name, false); });
    if (begin == lines.end()) throw std::runtime_error("no marker [docs:" + name + "] in " + source.string());
    auto end = std::find_if(begin + 1, lines.end(), [&](const auto& l) { return is_marker_for(l, name, true); });
    if (end == lines.end()) throw std::runtime_error("[docs:" + name + "] is not closed by [/docs:" + name + "] in " + source.string());
    std::vector<std::string> region;
    std::copy_if(begin + 1, end, std::back_inserter(region), [](const auto& l) { return !is_marker(l); });
    return dedent(region);
}

std::vector<Problem> sync_file(const std::filesystem::path& root, const std::filesystem::path& doc, bool write) {
    static const std::regex snippet(R"(^\s*<!--\s*snippet:\s*([^#\s]+)#([A-Za-z0-9_.-]+)\s*-->\s*$)");
    std::vector<std::string> lines = read_lines(doc);
    std::vector<Problem> problems;
    bool changed = false;
    const std::string doc_name = std::filesystem::relative(doc, root).string();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::smatch m;
        if (!std::regex_match(lines[i], m, snippet)) continue;
        const std::string where = doc_name + ":" + std::to_string(i + 1);
        const std::string file = m[1], name = m[2];
        std::vector<std::string> expected;
        try {
            expected = extract_region(root / file, name);
        } catch (const std::exception& e) {
            problems.push_back({where, e.what()});
            continue;
        }
        const std::size_t open = i + 1;
        if (open >= lines.size() || lines[open].rfind("```", 0) != 0) {
            problems.push_back({where, "a snippet line must be followed by a ``` fenced block"});
            continue;
        }
        std::size_t close = open + 1;
        while (close < lines.size() && lines[close].rfind("```", 0) != 0) ++close;
        if (close >= lines.size()) {
            problems.push_back({where, "the fenced block is not closed"});
            continue;
        }
        const std::vector<std::string> quoted(lines.begin() + static_cast<std::ptrdiff_t>(open + 1),
                                              lines.begin() + static_cast<std::ptrdiff_t>(close));
        if (quoted == expected) continue;
        if (write) {
            lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(open + 1), lines.begin() + static_cast<std::ptrdiff_t>(close));
            lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(open + 1), expected.begin(), expected.end());
            changed = true;
            continue;
        }
        std::size_t k = 0;
        while (k < quoted.size() && k < expected.size() && quoted[k] == expected[k]) ++k;
        std::ostringstream message;
        message << "the block differs from " << file << "#" << name << " at its line " << (k + 1) << ": docs have \""
                << (k < quoted.size() ? quoted[k] : "<end of block>") << "\", code has \""
                << (k < expected.size() ? expected[k] : "<end of region>") << "\" (run: docsync write)";
        problems.push_back({where, message.str()});
    }
    if (changed) {
        std::ofstream out(doc);
        for (const auto& line : lines) out << line << '\n';
    }
    return problems;
}

std::vector<std::filesystem::path> markdown_files(const std::filesystem::path& root) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::exists(root / "README.md")) files.push_back(root / "README.md");
    if (std::filesystem::is_directory(root / "docs")) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "docs")) {
            if (entry.is_regular_file() && entry.path().extension() == ".md") files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace docsync
