// One check many tests share: a model's results against the simulator's own model of its pages.
#pragma once

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "common/fetch.hpp"
#include "run_program.hpp"
#include "simulator/site_model.hpp"

namespace tour_test {

// Every URL answered, in input order, with the simulator's exact bytes and content.
inline void check_all_fetched(const std::vector<std::string>& urls, const std::vector<tour::FetchResult>& results,
                              const sitesim::SiteParams& params) {
    REQUIRE(results.size() == urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
        CAPTURE(urls[i]);
        CHECK(results[i].url == urls[i]);  // slot i holds URL i: input order
        REQUIRE_MESSAGE(results[i].ok(), results[i].error);
        const std::string path = path_of(urls[i]);
        const auto spec = sitesim::page_spec(params, path);
        CHECK(results[i].bytes == spec.bytes);
        CHECK(results[i].body_hash == expected_hash(path, spec.bytes));
    }
}

}  // namespace tour_test
