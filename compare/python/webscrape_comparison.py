#!/usr/bin/env python3
"""The Python demo's four download models, run against the tour's simulator.

The demo is webscrape_comparison.py (with ws_serial.py, ws_multithreading.py,
ws_multiprocessing.py, ws_asyncio.py and a url_list), after Real Python's "Speed Up Your
Python Program With Concurrency". Its four models (serial with requests.Session,
ThreadPoolExecutor with a thread-local session, multiprocessing.Pool, asyncio with aiohttp)
are aimed here at the same sitesim pages the C++ programs fetch, so both languages can be
measured on one machine. One deliberate difference: the demo's asyncio model evaluated
len(response.content) on an aiohttp response, whose .content is a StreamReader with no len():
every task raised TypeError, asyncio.gather(..., return_exceptions=True) kept the exceptions
as results, and no body was read. This script awaits response.read(), so every model reads
every body, and it checks each body's length against the Content-Length header.

    apt-get install python3-requests python3-aiohttp     # Debian's packages
    /usr/bin/python3 compare/python/webscrape_comparison.py --sitesim build/simulator/sitesim

Use Debian's /usr/bin/python3 (3.11 on Debian 12): the Debian packages install into it, and a
plain `python3` may be another interpreter earlier on PATH. The first line printed names it.
It starts sitesim on a free loopback port, builds the same URL list as the C++ programs
(/site/0 ... /site/N-1, same seed and mean latency), prints the demo's lines for each model
and checks every page: a body shorter or longer than its Content-Length header says counts as
a failed fetch (Debian's requests 2.28 with urllib3 1.26 return a body cut short with status
200 and no exception), and so does an HTTP status other than 200; each model's sizes must also
equal the first model's. Exit status 1 if any fetch failed, 2 for bad usage.
"""
import argparse
import asyncio
import concurrent.futures
import multiprocessing
import re
import resource
import signal
import subprocess
import sys
import threading
import time

try:
    import aiohttp
    import requests
except ImportError as missing:  # pragma: no cover - depends on the machine
    sys.exit(f"{missing.name} is missing: apt-get install python3-requests python3-aiohttp")

class BadPage(Exception):
    """A page that arrived wrong: an HTTP error status, or a body whose length differs from its
    Content-Length header. Returned as the page's result, not raised, so that every model counts
    it the same way (asyncio.gather(..., return_exceptions=True) already returns exceptions)."""


def checked_size(url, status, content_length, body):
    """len(body) if the page arrived whole, else a BadPage saying what was wrong."""
    if status != 200:
        return BadPage(f"{url}: HTTP status {status}")
    if content_length is not None and int(content_length) != len(body):
        return BadPage(f"{url}: {len(body):,} bytes received, Content-Length says {int(content_length):,}")
    return len(body)

# ---- serial -------------------------------------------------------------------------------

def download_site_serial(url, session):
    with session.get(url) as response:
        return checked_size(url, response.status_code, response.headers.get("Content-Length"), response.content)


def download_all_serial(sites):
    with requests.Session() as session:
        return [download_site_serial(url, session) for url in sites]

# ---- threads: a session per thread, as in the demo -------------------------------------------

thread_local = threading.local()


def get_session():
    if not hasattr(thread_local, "session"):
        thread_local.session = requests.Session()
    return thread_local.session


def download_site_threads(url):
    with get_session().get(url) as response:
        return checked_size(url, response.status_code, response.headers.get("Content-Length"), response.content)


def download_all_threads(sites, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        return list(executor.map(download_site_threads, sites))

# ---- processes: a session per process -------------------------------------------------------

process_session = None


def set_global_session():
    global process_session
    if not process_session:
        process_session = requests.Session()


def download_site_processes(url):
    with process_session.get(url) as response:
        return checked_size(url, response.status_code, response.headers.get("Content-Length"), response.content)


def download_all_processes(sites, workers):
    with multiprocessing.Pool(processes=workers, initializer=set_global_session) as pool:
        return pool.map(download_site_processes, sites)

# ---- asyncio ---------------------------------------------------------------------------------

async def download_site_async(session, url):
    async with session.get(url) as response:
        # read() waits for the whole body. (The demo's len(response.content) raised TypeError:
        # .content is a StreamReader, not bytes.)
        body = await response.read()
        return checked_size(url, response.status, response.headers.get("Content-Length"), body)


async def download_all_async(sites):
    # No limit on connections per host, like the C++ event loop's default (aiohttp's default
    # connector would allow only 100 at once).
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = [asyncio.ensure_future(download_site_async(session, url)) for url in sites]
        return await asyncio.gather(*tasks, return_exceptions=True)

# ---- the comparison --------------------------------------------------------------------------

def start_sitesim(path, seed, latency_ms):
    process = subprocess.Popen([path, "--port", "0", "--seed", str(seed), "--latency-ms", str(latency_ms)],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not match:
        process.kill()
        sys.exit(f"sitesim did not start: {line!r}")
    return process, int(match.group(1))


def cpu_seconds():
    """User + system CPU time of this process and of the children it has reaped (the Pool's
    workers are reaped when the pool closes; sitesim only at the very end, so it is not counted)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sitesim", required=True, help="path of the sitesim executable")
    parser.add_argument("--sites", type=int, default=80)
    parser.add_argument("--latency-ms", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=10, help="ThreadPoolExecutor max_workers (demo: 10)")
    parser.add_argument("--processes", type=int, default=None, help="Pool size (default: cores)")
    parser.add_argument("--only", default="serial,threads,processes,asyncio")
    parser.add_argument("--query", default="",
                        help="append ?QUERY to every URL, e.g. fault=truncate to see the check catch a body cut short")
    parser.add_argument("--start-method", choices=multiprocessing.get_all_start_methods(),
                        help="multiprocessing start method (default: the platform's; fork on Linux up to 3.13, "
                             "forkserver from 3.14)")
    args = parser.parse_args()
    if args.sites < 1 or args.threads < 1 or (args.processes is not None and args.processes < 1):
        parser.error("--sites, --threads and --processes must be at least 1")
    if args.start_method is not None:
        multiprocessing.set_start_method(args.start_method)
    print(f"Python {sys.version.split()[0]} ({sys.executable}), requests {requests.__version__}, "
          f"aiohttp {aiohttp.__version__}, multiprocessing start method {multiprocessing.get_start_method()}",
          flush=True)

    simulator, port = start_sitesim(args.sitesim, args.seed, args.latency_ms)
    failures = 0
    try:
        query = f"?{args.query}" if args.query else ""
        sites = [f"http://127.0.0.1:{port}/site/{i}{query}" for i in range(args.sites)]
        # Each page is checked against its own Content-Length (checked_size); the models are then
        # checked against each other: every one must get the first model's sizes.
        models = {
            "serial": ("Serial", lambda: download_all_serial(sites)),
            "threads": ("Threads", lambda: download_all_threads(sites, args.threads)),
            "processes": ("Processes", lambda: download_all_processes(sites, args.processes)),
            "asyncio": ("Asyncio", lambda: asyncio.run(download_all_async(sites))),
        }
        reference = None
        for key in args.only.split(","):
            if key not in models:
                parser.error(f"unknown model {key!r}")
            label, run = models[key]
            print(f"Starting {label} download of {len(sites)} sites...", flush=True)
            cpu_before = cpu_seconds()
            start = time.perf_counter()
            sizes = run()
            duration = time.perf_counter() - start
            cpu = cpu_seconds() - cpu_before
            print(f"{label} download of {len(sites)} sites - Duration: {duration:.2f} seconds", flush=True)
            errors = [s for s in sizes if isinstance(s, BaseException)]
            total = sum(s for s in sizes if not isinstance(s, BaseException))
            if reference is None and not errors:
                reference = sizes
            if errors or sizes != reference:
                failures += 1
                print(f"{label}: {len(errors)} errors; sizes match the first model: {sizes == reference}", file=sys.stderr)
                for error in errors:
                    print(f"  {type(error).__name__}: {error}", file=sys.stderr)
            # With forkserver the Pool's workers are children of the fork server, not of this
            # process, so RUSAGE_CHILDREN never includes them.
            partial = " (this process only)" if key == "processes" and multiprocessing.get_start_method() == "forkserver" else ""
            print(f"{len(sizes) - len(errors)} ok, {len(errors)} failed, {total:,} bytes, "
                  f"CPU {cpu:.2f} s{partial}", flush=True)
    finally:
        simulator.send_signal(signal.SIGTERM)
        simulator.wait(timeout=10)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
