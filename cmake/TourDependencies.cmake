# Find every dependency, and when one is missing say which Debian package provides it.
# (The README's set-up script installs all of them: ./tour.sh deps)

find_package(Threads REQUIRED)

find_package(CURL 7.85 QUIET)
if(NOT CURL_FOUND)
  message(FATAL_ERROR "libcurl (7.85 or newer, with headers) not found: apt-get install libcurl4-openssl-dev")
endif()

# Debian's asio is standalone and header-only and ships no CMake package: look for the header.
find_path(ASIO_INCLUDE_DIR asio.hpp)
if(NOT ASIO_INCLUDE_DIR)
  message(FATAL_ERROR "asio.hpp (standalone Asio) not found: apt-get install libasio-dev")
endif()

find_package(CLI11 QUIET CONFIG)
if(NOT CLI11_FOUND)
  message(FATAL_ERROR "CLI11 not found: apt-get install libcli11-dev")
endif()

find_package(nlohmann_json 3.10 QUIET CONFIG)
if(NOT nlohmann_json_FOUND)
  message(FATAL_ERROR "nlohmann_json not found: apt-get install nlohmann-json3-dev")
endif()

if(TOUR_TESTS)
  find_package(doctest QUIET CONFIG)
  if(NOT doctest_FOUND)
    message(FATAL_ERROR "doctest not found: apt-get install doctest-dev (or configure with -DTOUR_TESTS=OFF)")
  endif()
  include(doctest)   # doctest_discover_tests()
endif()
