#!/bin/sh
# Chapter 4's benchmark: 04_asio against the curl command line on the same sitesim URLs, in the
# same run. Reports wall time, peak RSS and CPU time (user + sys) from GNU time.
#
#   04_asio/bench_vs_curl.sh [BUILD_DIR] [COUNTS] [LATENCY_MS] [RUNS]
#   04_asio/bench_vs_curl.sh build "80 1000 10000" 150 3
#
# Needs: /usr/bin/time (Debian package `time`) and curl >= 7.66 (--parallel). Each figure is
# the median of RUNS runs; the two clients alternate so background load hits both alike.
# Only the client is measured: sitesim runs as its own process, started once per URL count.
set -eu
build=${1:-build}
counts=${2:-"80 1000 10000"}
latency=${3:-150}
runs=${4:-3}
sitesim="$build/simulator/sitesim"
asio="$build/04_asio/04_asio"
for tool in /usr/bin/time curl "$sitesim" "$asio"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench_vs_curl.sh: $tool not found" >&2; exit 2; }
done
ulimit -n "$(ulimit -Hn)"  # 10,000 connections at once need 10,000 file descriptors
work=$(mktemp -d)
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure NAME COMMAND...: one run; appends "wall rss_kb cpu" to $work/NAME
measure() {
    name=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
        echo "bench_vs_curl.sh: $name failed:" >&2; tail -5 "$work/err" >&2; exit 1; }
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$work/time" >>"$work/$name"
}

printf '%-7s %-24s %10s %14s %10s\n' URLs client "wall (s)" "peak RSS (MB)" "CPU (s)"
for n in $counts; do
    "$sitesim" --port 0 --seed 1 --latency-ms "$latency" >"$work/sim" 2>&1 &
    sim_pid=$!
    for _ in $(seq 50); do grep -q listening "$work/sim" && break; sleep 0.1; done
    base=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' "$work/sim")
    [ -n "$base" ] || { echo "bench_vs_curl.sh: sitesim did not start" >&2; exit 1; }
    : >"$work/urls"; : >"$work/curl.cfg"
    i=0
    while [ "$i" -lt "$n" ]; do
        echo "$base/site/$i" >>"$work/urls"
        printf 'url = "%s/site/%d"\noutput = "/dev/null"\n' "$base" "$i" >>"$work/curl.cfg"
        i=$((i + 1))
    done
    rm -f "$work/asio" "$work/asio300" "$work/curl"
    for _ in $(seq "$runs"); do
        measure asio "$asio" --urls "$work/urls"
        grep -q "$n ok, 0 failed" "$work/out" || { echo "bench_vs_curl.sh: 04_asio lost pages" >&2; cat "$work/out" >&2; exit 1; }
        measure asio300 "$asio" --urls "$work/urls" --workers 300
        grep -q "$n ok, 0 failed" "$work/out" || { echo "bench_vs_curl.sh: 04_asio lost pages" >&2; cat "$work/out" >&2; exit 1; }
        measure curl curl --silent --show-error --fail --parallel --parallel-immediate --parallel-max 300 --config "$work/curl.cfg"
    done
    for name in asio asio300 curl; do
        wall=$(cut -d' ' -f1 "$work/$name" | median)
        rss=$(cut -d' ' -f2 "$work/$name" | median)
        cpu=$(cut -d' ' -f3 "$work/$name" | median)
        case $name in
            asio) label="04_asio" ;;
            asio300) label="04_asio --workers 300" ;;
            *) label="curl --parallel-max 300" ;;
        esac
        printf '%-7s %-24s %10.2f %14.1f %10.2f\n' "$n" "$label" "$wall" "$(echo "$rss" | awk '{ print $1 / 1024 }')" "$cpu"
    done
    kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true; sim_pid=""
done
