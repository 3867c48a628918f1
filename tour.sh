#!/usr/bin/env bash
# The tour's set-up in one script (the README's two commands call it).
#
#   ./tour.sh run       install what is missing, build what the comparison runs, run it
#   ./tour.sh build     install what is missing, build every chapter's program and tool (no test)
#   ./tour.sh test      install what is missing, build (warnings are errors), run every test,
#                       including the proof that exercises fail unsolved and solutions pass
#   ./tour.sh sanitize  the test suite under ASan+UBSan and under TSan
#   ./tour.sh exercises          every exercise, in order, with its goal and where you are
#   ./tour.sh check ch02 [NAME]   check your answers to chapter 2's exercises (or one); says what is next
#   ./tour.sh hint ch02 NAME      the next hint for one exercise (--all: all of them)
#   ./tour.sh reset ch02 NAME     put one exercise's files back as they were
#   ./tour.sh docs      build the tour as a website (build/site) and serve it on 127.0.0.1;
#                       ./tour.sh docs --build only builds it
#   ./tour.sh deps      only install what is missing (Debian 12 packages)
set -euo pipefail
cd "$(dirname "$0")"

# libtbb-dev: libstdc++ runs std::execution::par (chapter 5's parallel-algorithms model) on oneTBB.
packages=(g++ cmake ninja-build libcurl4-openssl-dev libasio-dev doctest-dev libcli11-dev
          nlohmann-json3-dev libtbb-dev zlib1g-dev python3 curl libopenmpi-dev openmpi-bin)
# Only the test suite needs these: a browser to check that the timeline SVG and the diagrams render;
# requests and aiohttp for the Python comparison's test (Debian's /usr/bin/python3 runs it).
test_packages=(chromium python3-requests python3-aiohttp)
# Only the website needs these (./tour.sh docs; its test also needs chromium).
docs_packages=(mkdocs mkdocs-material)

install_missing() {  # install_missing [EXTRA_PACKAGES...]
  local missing=()
  for p in "${packages[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "tour.sh: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

jobs=$(nproc 2>/dev/null || echo 2)

build() {  # build PRESET
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1" -j "$jobs"
}

case "${1:-}" in
  deps)
    install_missing ;;
  run)
    install_missing
    # Only what the comparison runs: chapters 1-4, the simulator and compare. No test, no
    # exercise (a half-done exercise of yours cannot stop this).
    cmake --preset default >/dev/null
    cmake --build --preset default -j "$jobs" --target compare
    exec build/compare/compare "${@:2}" ;;
  build)
    # Every program a chapter runs (chapter 5 and the measuring tools too), still no test.
    install_missing
    cmake --preset default >/dev/null
    cmake --build --preset default -j "$jobs" --target programs ;;
  test)
    install_missing "${test_packages[@]}" "${docs_packages[@]}"
    build ci
    ctest --preset ci -j "$jobs" ;;
  check)
    # Build one chapter's exercises in build/ (or one exercise), each on its own (a broken one is
    # reported with the compiler's file:line and the others still build), run their checks, say
    # which is solved and which exercise is next. tools/exercises.py does it, from exercises.toml.
    [ $# -ge 2 ] || { python3 tools/exercises.py check; exit 2; }
    install_missing
    exec python3 tools/exercises.py "$@" ;;
  exercises|hint|reset)
    # The ordered list (exercises.toml), one hint at a time, an exercise's files back from git.
    exec python3 tools/exercises.py "$@" ;;
  docs)
    # The site needs no compiler: install only Python and the docs packages.
    [ $# -le 1 ] || [ "$2" = "--build" ] || { echo "usage: ./tour.sh docs [--build]" >&2; exit 2; }
    packages=(python3)
    install_missing "${docs_packages[@]}"
    # mkdocs.yml: strict (a link to a missing page fails the build), navigation from docs/.
    mkdocs build --quiet
    echo "tour.sh: the site is in build/site" >&2
    [ "${2:-}" = "--build" ] || exec python3 tools/site/serve.py build/site ;;
  sanitize)
    install_missing "${test_packages[@]}" "${docs_packages[@]}"
    for preset in asan tsan; do
      build "$preset"
      ctest --preset "$preset" -j "$jobs"
    done ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] && exit 0
    exit 2 ;;
esac
