#!/usr/bin/env bash
# The tour's set-up in one script (the README's two commands call it).
#
#   ./tour.sh run       install what is missing, build what the comparison runs, run it
#   ./tour.sh build     install what is missing, build every chapter's program and tool (no test)
#   ./tour.sh test      install what is missing, build (warnings are errors), run every test,
#                       including the proof that exercises fail unsolved and solutions pass
#   ./tour.sh sanitize  the test suite under ASan+UBSan and under TSan
#   ./tour.sh check ch02 [NAME]   check your answers to chapter 2's exercises (or to one: job_queue)
#   ./tour.sh docs      build the tour as a website (build/site) and serve it on 127.0.0.1;
#                       ./tour.sh docs --build only builds it
#   ./tour.sh deps      only install what is missing (Debian 12 packages)
set -euo pipefail
cd "$(dirname "$0")"

# libtbb-dev: libstdc++ runs std::execution::par (chapter 5's parallel-algorithms model) on oneTBB.
packages=(g++ cmake ninja-build libcurl4-openssl-dev libasio-dev doctest-dev libcli11-dev
          nlohmann-json3-dev libtbb-dev python3 curl libopenmpi-dev openmpi-bin)
# Only the test suite needs these: a browser to check that the timeline SVG and the diagrams render.
test_packages=(chromium)
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
    # Build one chapter's exercises in build/ (or one exercise) and run their checks. Each is its
    # own target, outside `all`: ninja -k 0 builds the others when one does not compile, and a
    # broken one is reported with the compiler's file:line, never hidden in the build's output.
    chapter=${2:-}
    [[ $chapter =~ ^(ch)?0?([1-6])$ ]] || { echo "usage: ./tour.sh check ch01..ch06 [EXERCISE]" >&2; exit 2; }
    chapter=ch0${BASH_REMATCH[2]}
    install_missing
    if [ -f build/build.ninja ]; then
      cmake --build build --target build.ninja >/dev/null  # re-runs CMake only if a CMakeLists changed
    else
      cmake --preset default >/dev/null
    fi
    mapfile -t names < <(ctest --test-dir build -N -L '^exercise$' -L "^$chapter\$" |
                         sed -n "s/^ *Test *#[0-9]*: exercise\.${chapter}_//p")
    if [ -n "${3:-}" ]; then
      [[ " ${names[*]} " == *" $3 "* ]] || { echo "tour.sh: $chapter has no exercise '$3' (it has: ${names[*]})" >&2; exit 2; }
      names=("$3")
    fi
    [ ${#names[@]} -gt 0 ] || { echo "tour.sh: no exercise checks for $chapter in build/" >&2; exit 2; }
    log=build/exercise-check.log
    echo "tour.sh: building $chapter's exercise checks: ${names[*]}" >&2
    cmake --build build -j "$jobs" --target "${names[@]/#/exercise_${chapter}_}" -- -k 0 2>&1 | tee "$log" |
      if [ -t 2 ]; then  # on a terminal: ninja's progress on one line
        while IFS= read -r line; do [[ $line != \[* ]] || printf '\r\033[K%.100s' "$line" >&2; done
        printf '\r\033[K' >&2
      else
        cat >/dev/null
      fi || true
    built=(); broken=()
    for n in "${names[@]}"; do
      if ninja -C build -n "exercise_${chapter}_$n" 2>/dev/null | grep -q '^ninja: no work to do'; then
        built+=("$n")
      else
        broken+=("$n")
      fi
    done
    unsolved=()
    if [ ${#built[@]} -gt 0 ]; then
      rm -f build/Testing/Temporary/LastTestsFailed.log
      ctest --test-dir build --output-on-failure -L '^exercise$' \
            -R "^exercise\.${chapter}_($(IFS='|'; echo "${built[*]}"))\$" || true
      mapfile -t unsolved < <(sed -n "s/^[0-9]*:exercise\.${chapter}_//p" build/Testing/Temporary/LastTestsFailed.log 2>/dev/null)
    fi
    for n in "${broken[@]}"; do
      # The compiler's messages for this exercise's own files (ninja prints them after FAILED:),
      # file:line first, paths relative to the tour.
      errors=$(awk -v t="exercise_${chapter}_$n" '
          /^FAILED: / { mine = index($0, "/" t ".dir/") || $0 ~ ("/" t "[[:space:]]*$") ; next }
          /^\[[0-9]+\/[0-9]+\] / || /^ninja: / { mine = 0 }
          mine && (/: (fatal )?error: / || /undefined reference/) { print }' "$log" |
        sed "s|$PWD/||g" | head -n 8)
      echo >&2
      echo "=== $chapter $n does not compile:" >&2
      if [ -n "$errors" ]; then
        echo "$errors" >&2
      else
        grep -E ': (fatal )?error: |^FAILED: ' "$log" | sed "s|$PWD/||g" | head -n 8 >&2 ||
          echo "(no compiler message found: a library it needs did not build)" >&2
      fi
      echo "(the compiler's whole output: $log)" >&2
    done
    echo >&2
    for n in "${names[@]}"; do
      if [[ " ${broken[*]} " == *" $n "* ]]; then
        echo "  $chapter $n: does not compile (see above)" >&2
      elif [[ " ${unsolved[*]} " == *" $n "* ]]; then
        echo "  $chapter $n: not solved yet (its check's failures are above; hints: $(ls -d 0"${chapter#ch0}"_*/exercises)/HINTS.md)" >&2
      else
        echo "  $chapter $n: solved" >&2
      fi
    done
    [ ${#broken[@]} -eq 0 ] && [ ${#unsolved[@]} -eq 0 ] ;;
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
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] && exit 0
    exit 2 ;;
esac
