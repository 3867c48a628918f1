// Chapter 1: the smallest complete serial model, the shape of the Python demo's
//
//     def download_all_sites(sites):
//         with requests.Session() as session:
//             for url in sites:
//                 download_site(url, session)
//
// serial.cpp is the same loop with the pieces a real program adds (options, progress, worker ids).
#include "small.hpp"

namespace serial::small {

// [docs:small]
std::vector<tour::FetchResult> download_all(const std::vector<std::string>& urls) {
    tour::HttpSession session;  // `with requests.Session() as session`: one connection, kept alive
    std::vector<tour::FetchResult> results;
    for (const std::string& url : urls) {
        results.push_back(session.get(url));  // blocks until this page has arrived (or failed)
    }
    return results;
}  // the session's destructor closes the connection, like leaving the `with`
// [/docs:small]

}  // namespace serial::small
