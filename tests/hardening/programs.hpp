// The programs the hardening tests run, by the names the docs' table uses.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "run_program.hpp"

namespace hardening {

// The four download models' programs (chapters 1-4).
inline const std::vector<std::string> download_programs = {"01_serial", "02_threads", "03_processes", "04_asio"};

// "01_serial", "compare", "sitesim": the program this build made.
inline std::filesystem::path program(const std::string& name) {
    if (name == "compare") return tour_test::build_path("compare/compare");
    if (name == "sitesim") return tour_test::build_path("simulator/sitesim");
    if (name == "04_asio_threads") return tour_test::build_path("04_asio/04_asio_threads");
    if (name == "06_mpi_download") return tour_test::build_path("06_mpi/06_mpi_download");
    return tour_test::build_path(name + "/" + name);
}

}  // namespace hardening
