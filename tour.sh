#!/usr/bin/env bash
# The tour's set-up in one script (the README's two commands call it).
#
#   ./tour.sh run       install what is missing, build, run the comparison on the simulator
#   ./tour.sh test      install what is missing, build (warnings are errors), run every test,
#                       including the proof that exercises fail unsolved and solutions pass
#   ./tour.sh sanitize  the test suite under ASan+UBSan and under TSan
#   ./tour.sh deps      only install what is missing (Debian 12 packages)
set -euo pipefail
cd "$(dirname "$0")"

packages=(g++ cmake ninja-build libcurl4-openssl-dev libasio-dev doctest-dev libcli11-dev
          nlohmann-json3-dev python3 curl)
# Only the test suite needs these: a browser to check that the timeline SVG renders.
test_packages=(chromium)

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
    # Only the programs and the simulator: no test, no exercise (a half-done exercise of yours
    # cannot stop this), so the comparison starts after a third of the full build.
    cmake --preset default >/dev/null
    cmake --build --preset default -j "$jobs" --target programs
    exec build/compare/compare "${@:2}" ;;
  test)
    install_missing "${test_packages[@]}"
    build ci
    ctest --preset ci -j "$jobs" ;;
  sanitize)
    install_missing "${test_packages[@]}"
    for preset in asan tsan; do
      build "$preset"
      ctest --preset "$preset" -j "$jobs"
    done ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] && exit 0
    exit 2 ;;
esac
