// Chapter 3's smallest complete model (small.hpp). What it leaves out on purpose, the real model
// in processes.cpp adds: dealing one URL at a time, deadlines, a worker that dies with its parent.
#include "small.hpp"

#include <cstdint>
#include <utility>

#include <unistd.h>

#include "common/posix.hpp"

namespace processes::small {

// [docs:small]
struct Answer { std::size_t index; bool ok; std::uint64_t bytes; };  // plain numbers: no pointers
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, std::size_t workers, const tour::NewSession& new_session) {
    std::vector<std::pair<pid_t, tour::Fd>> children;  // each child, and the end of its pipe we read
    for (std::size_t w = 0; w < workers; ++w) {
        auto [from_child, to_parent] = tour::make_pipe();
        const pid_t pid = ::fork();  // returns twice: 0 in the new child, the child's pid in the parent
        if (pid == 0) {  // the child: a copy of this process, with a session of its own
            const tour::Fetch fetch = new_session();
            for (std::size_t i = w; i < urls.size(); i += workers) {
                const tour::FetchResult r = fetch(urls[i]);
                const Answer answer{i, r.ok(), r.bytes};
                tour::write_all(to_parent.get(), &answer, sizeof answer);
            }
            ::_exit(0);  // never return: the rest of this function is the parent's
        } else if (pid > 0) children.emplace_back(pid, std::move(from_child));  // -1: no child, URLs lost
    }  // the parent's copy of to_parent closes here: when the child ends, the pipe reads EOF
    std::vector<tour::FetchResult> results;
    for (const std::string& url : urls) results.push_back({.url = url, .error = "lost: no answer from its worker"});
    for (auto& [pid, pipe] : children) {
        for (Answer a; tour::read_all(pipe.get(), &a, sizeof a);)
            results[a.index] = {.url = urls[a.index], .bytes = a.bytes, .error = a.ok ? "" : "failed in its worker"};
        tour::reap(pid);  // collect the child's exit status: no zombie left
    }
    return results;
}
// [/docs:small]

std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls, std::size_t workers) {
    return download_all(urls, workers, tour::http_sessions(tour::FetchOptions{}));
}

}  // namespace processes::small
