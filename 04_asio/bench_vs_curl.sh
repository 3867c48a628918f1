#!/bin/sh
# Chapter 4's benchmark: 04_asio against the curl command line on the same pages, in the same
# run, served by sitesim and (if installed) by nginx, a server the tour did not write. Reports
# wall time, peak RSS and CPU time (user + sys) of the client from GNU time, and for 04_asio the
# time its own clock measured around download_all ("in run"): wall minus that is start-up and
# tear-down.
#
#   04_asio/bench_vs_curl.sh [BUILD_DIR] [COUNTS] [LATENCY_MS] [RUNS] [SERVERS]
#   04_asio/bench_vs_curl.sh build "80 1000 10000" 150 3 "sitesim nginx"
#
# Needs: /usr/bin/time (Debian package `time`) and curl >= 7.66 (--parallel); for the nginx rows
# Debian's nginx-light, whose echo module adds the latency (benchmark only: no test needs it).
# Each figure is the median of RUNS runs; the clients alternate so background load hits all
# alike. Only the client is measured: the server runs as its own process, started once per URL
# count and server, and stopped by its PID.
#
# nginx serves the very pages sitesim serves (copied from it once, same sizes, same bytes) as
# static files, each after a delay drawn like sitesim's (uniform over [L/2, 3L/2]; other draws,
# so the slowest page differs by a few ms). One nginx worker, as sitesim is one thread.
set -eu
build=${1:-build}
counts=${2:-"80 1000 10000"}
latency=${3:-150}
runs=${4:-3}
servers=${5:-sitesim}
sitesim="$build/simulator/sitesim"
asio="$build/04_asio/04_asio"
nginx=/usr/sbin/nginx
for tool in /usr/bin/time curl "$sitesim" "$asio"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench_vs_curl.sh: $tool not found" >&2; exit 2; }
done
case " $servers " in *" nginx "*)
    [ -x "$nginx" ] && [ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] ||
        { echo "bench_vs_curl.sh: nginx rows need Debian's nginx-light (apt-get install nginx-light)" >&2; exit 2; } ;;
esac
ulimit -n "$(ulimit -Hn)"  # 10,000 connections at once need 10,000 file descriptors
work=$(mktemp -d)
sim_pid=""
server_pid=""
stop() {  # stop PID: TERM, then wait for it
    [ -n "$1" ] || return 0
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() { stop "$server_pid"; stop "$sim_pid"; rm -rf "$work"; }
trap cleanup EXIT INT TERM

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure NAME COMMAND...: one run; appends "wall rss_kb cpu in_run" to $work/NAME
measure() {
    name=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
        echo "bench_vs_curl.sh: $name failed:" >&2; tail -5 "$work/err" >&2; exit 1; }
    in_run=$(sed -n 's/.*Duration: \([0-9.]*\) seconds.*/\1/p' "$work/out")
    awk -v r="${in_run:-0}" '{ printf "%s %s %.2f %s\n", $1, $2, $3 + $4, r }' "$work/time" >>"$work/$name"
}

# write_urls BASE N: the URL list for 04_asio and the config for curl
write_urls() {
    : >"$work/urls"; : >"$work/curl.cfg"
    i=0
    while [ "$i" -lt "$2" ]; do
        echo "$1/site/$i" >>"$work/urls"
        printf 'url = "%s/site/%d"\noutput = "/dev/null"\n' "$1" "$i" >>"$work/curl.cfg"
        i=$((i + 1))
    done
}

# start_nginx N: nginx on a free loopback port serving sitesim's first N pages; sets base
start_nginx() {
    rm -rf "$work/www"; mkdir -p "$work/www/site"
    i=0; : >"$work/copy.cfg"
    while [ "$i" -lt "$1" ]; do
        printf 'url = "%s/site/%d"\noutput = "%s/www/site/%d"\n' "$sim_base" "$i" "$work" "$i" >>"$work/copy.cfg"
        i=$((i + 1))
    done
    curl --silent --show-error --fail --parallel --parallel-max 300 --config "$work/copy.cfg" >/dev/null 2>"$work/copy.err" ||
        { echo "bench_vs_curl.sh: copying the pages from sitesim failed:" >&2; tail -3 "$work/copy.err" >&2; exit 1; }
    chmod -R a+rX "$work"  # nginx's worker runs as an unprivileged user when started by root
    # sitesim's latency model, other draws: uniform over [L/2, 3L/2] ms
    awk -v n="$1" -v l="$latency" 'BEGIN { srand(1); for (i = 0; i < n; i++)
        printf "        /site/%d %.3f;\n", i, (l / 2 + int(rand() * (l + 1))) / 1000 }' >"$work/delays"
    port=$(( 20000 + $$ % 20000 ))
    for _ in 1 2 3 4 5; do
        cat >"$work/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_processes 1;
worker_rlimit_nofile $(ulimit -Hn);
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 20000; }
http {
    access_log off;
    map \$uri \$delay {
        default 0;
$(cat "$work/delays")
    }
    server {
        listen 127.0.0.1:$port;
        location /site/ { echo_sleep \$delay; echo_exec @page; }
        location @page { root $work/www; }
    }
}
EOF
        "$nginx" -c "$work/nginx.conf" -p "$work" 2>>"$work/nginx-error.log" &
        server_pid=$!
        for _ in $(seq 50); do
            curl -s -o /dev/null "http://127.0.0.1:$port/site/0" && { base="http://127.0.0.1:$port"; return 0; }
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        stop "$server_pid"; server_pid=""; port=$((port + 1))  # port taken? try the next
    done
    echo "bench_vs_curl.sh: nginx did not start:" >&2; tail -3 "$work/nginx-error.log" >&2; exit 1
}

printf '%-7s %-8s %-24s %9s %11s %14s %8s\n' URLs server client "wall (s)" "in run (s)" "peak RSS (MB)" "CPU (s)"
for n in $counts; do
    "$sitesim" --port 0 --seed 1 --latency-ms "$latency" >"$work/sim" 2>&1 &
    sim_pid=$!
    for _ in $(seq 50); do grep -q listening "$work/sim" && break; sleep 0.1; done
    sim_base=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' "$work/sim")
    [ -n "$sim_base" ] || { echo "bench_vs_curl.sh: sitesim did not start" >&2; exit 1; }
    for server in $servers; do
        case $server in
            sitesim) base=$sim_base ;;
            nginx) start_nginx "$n" ;;
            *) echo "bench_vs_curl.sh: unknown server $server (sitesim or nginx)" >&2; exit 2 ;;
        esac
        write_urls "$base" "$n"
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
            in_run=$(cut -d' ' -f4 "$work/$name" | median)
            case $name in
                asio) label="04_asio" ;;
                asio300) label="04_asio --workers 300" ;;
                *) label="curl --parallel-max 300"; in_run=- ;;
            esac
            printf '%-7s %-8s %-24s %9.2f %11s %14.1f %8.2f\n' "$n" "$server" "$label" "$wall" "$in_run" \
                "$(echo "$rss" | awk '{ print $1 / 1024 }')" "$cpu"
        done
        if [ "$server" = nginx ]; then stop "$server_pid"; server_pid=""; fi
    done
    stop "$sim_pid"; sim_pid=""
done
