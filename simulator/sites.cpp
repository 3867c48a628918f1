#include "simulator/sites.hpp"

#include "common/text.hpp"  // with_thousands
#include "common/url_list.hpp"
#include "simulator/sitesim_process.hpp"

namespace tour {

SiteList::SiteList() = default;
SiteList::SiteList(SiteList&&) noexcept = default;
SiteList& SiteList::operator=(SiteList&&) noexcept = default;
SiteList::~SiteList() = default;

namespace {
// The list's length after --repeat, refused before it is made when over the limit.
void check_list_size(std::size_t once, std::size_t repeat) {
    if (once * repeat > max_urls) {  // both are capped by their options: no overflow
        throw InputError("the list would hold " + with_thousands(once * repeat) + " URLs (" + with_thousands(once) +
                         " x --repeat " + std::to_string(repeat) + "): more than " + with_thousands(max_urls) +
                         " URLs, the limit");
    }
}
}  // namespace

SiteList select_sites(const Options& options) {
    SiteList list;
    std::vector<std::string> once;
    if (options.urls_file) {
        once = read_url_list(*options.urls_file);
        check_list_size(once.size(), options.repeat);
    } else {
        check_list_size(options.sites, options.repeat);
        try {
            list.simulator = std::make_unique<SiteSimulator>(options.seed, options.latency_ms);
        } catch (const std::exception& e) {
            throw InputError(e.what());
        }
        once = list.simulator->urls(options.sites);
    }
    list.urls.reserve(once.size() * options.repeat);
    for (std::size_t r = 0; r < options.repeat; ++r) list.urls.insert(list.urls.end(), once.begin(), once.end());
    return list;
}

}  // namespace tour
