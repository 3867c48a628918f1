#!/usr/bin/env python3
"""Stopping a download run in Python's three concurrent models: a deadline, or Ctrl-C.

    /usr/bin/python3 compare/python/stop_demo.py asyncio   --urls FILE --deadline 1
    /usr/bin/python3 compare/python/stop_demo.py threads   --urls FILE             # then Ctrl-C
    /usr/bin/python3 compare/python/stop_demo.py processes --urls FILE --deadline 1

The counterpart of the C++ programs' --deadline and first Ctrl-C (docs/deep/07-stopping.md);
compare/stop_latency.py runs it beside them on one simulator. Each model stops in its own way:

  asyncio    asyncio.timeout() around gather(): at the deadline the waiting task is cancelled,
             gather cancels every child, and each cancelled aiohttp request closes its socket.
             Cancellation is built into every await.
  threads    ThreadPoolExecutor.shutdown(cancel_futures=True) cancels the URLs still queued; the
             ones running cannot be cancelled (Python has no way to stop a thread), so they run
             to the end of their request and the interpreter waits for them at exit.
  processes  Pool.terminate() sends SIGTERM to every worker, mid-request or not: the kernel
             closes their sockets. Nothing a worker had not yet returned is kept.

It prints how many URLs were fetched, failed, cancelled and, for threads, still running when it
stopped: every URL is one of them. Exit status: 0 all fetched; 1 some not fetched (the deadline);
130 stopped by Ctrl-C (SIGINT); 2 bad usage. A second Ctrl-C ends it at once.
"""
import argparse
import asyncio
import concurrent.futures
import multiprocessing
import signal
import sys
import threading
import time

try:
    import aiohttp
    import requests
except ImportError as missing:  # pragma: no cover - depends on the machine
    sys.exit(f"{missing.name} is missing: apt-get install python3-requests python3-aiohttp")


class Outcome:
    """What became of every URL. The models fill it in; report() prints it."""

    def __init__(self, total):
        self.total, self.fetched, self.failed, self.cancelled, self.running = total, 0, 0, 0, 0
        self.reason = None  # "deadline" or "Ctrl-C" once the run was stopped

    def report(self, model, started):
        seconds = time.perf_counter() - started
        stopped = f", stopped by {self.reason}" if self.reason else ""
        print(f"{model}: {self.fetched} fetched, {self.failed} failed, {self.cancelled} cancelled"
              f"{f', {self.running} still running (cannot be cancelled)' if self.running else ''}"
              f" of {self.total} URLs in {seconds:.2f} s{stopped}", flush=True)
        assert self.fetched + self.failed + self.cancelled + self.running == self.total, "a URL was lost"

    def exit_status(self):
        if self.reason == "Ctrl-C":
            return 128 + signal.SIGINT  # what a shell shows for a program Ctrl-C ended: 130
        return 0 if self.fetched == self.total else 1


def ok(status, body):
    return status == 200 and len(body) > 0

# ---- asyncio: cancellation is built into every await ------------------------------------------

async def fetch_async(session, url):
    async with session.get(url) as response:
        return ok(response.status, await response.read())


async def download_all_asyncio(urls, deadline, outcome):
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        tasks = [asyncio.create_task(fetch_async(session, url)) for url in urls]
        # [docs:asyncio_stop]
        try:
            # timeout(None) never expires: the same code with and without a deadline.
            async with asyncio.timeout(deadline):
                await asyncio.gather(*tasks, return_exceptions=True)
        except TimeoutError:  # the deadline: gather was cancelled, and with it every child
            outcome.reason = "deadline"
        # [/docs:asyncio_stop]
        finally:  # also when Ctrl-C cancelled us (CancelledError passes through)
            for task in tasks:
                if task.cancelled():
                    outcome.cancelled += 1
                elif task.exception() is None and task.result():
                    outcome.fetched += 1
                else:
                    outcome.failed += 1
    # Leaving `async with ClientSession` closed every connection that was still open.


def run_asyncio(urls, deadline, workers, outcome):
    try:
        # asyncio.run turns the first Ctrl-C into a cancellation of this main task (so the
        # finally above runs) and raises KeyboardInterrupt once the task is done; a second
        # Ctrl-C raises KeyboardInterrupt at once.
        asyncio.run(download_all_asyncio(urls, deadline, outcome))
    except KeyboardInterrupt:
        outcome.reason = "Ctrl-C"

# ---- threads: a running thread cannot be cancelled --------------------------------------------

thread_local = threading.local()


def fetch_in_thread(url):
    if not hasattr(thread_local, "session"):
        thread_local.session = requests.Session()
    with thread_local.session.get(url) as response:
        return ok(response.status_code, response.content)


def run_threads(urls, deadline, workers, outcome):
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    futures = [executor.submit(fetch_in_thread, url) for url in urls]
    # [docs:threads_stop]
    try:
        # Only the main thread sees KeyboardInterrupt; wait() is where it arrives.
        done, _ = concurrent.futures.wait(futures, timeout=deadline)
        if len(done) < len(futures):
            outcome.reason = "deadline"
    except KeyboardInterrupt:
        outcome.reason = "Ctrl-C"
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # a second Ctrl-C ends us at once
    # cancel_futures=True cancels what is still queued. A running future's cancel() returns
    # False: its thread is inside requests, and nothing can make it return early.
    executor.shutdown(wait=False, cancel_futures=True)
    # [/docs:threads_stop]
    for future in futures:
        if future.cancelled():
            outcome.cancelled += 1
        elif not future.done():
            outcome.running += 1
        elif future.exception() is None and future.result():
            outcome.fetched += 1
        else:
            outcome.failed += 1
    return executor  # main waits for its running threads after the report (as exit would)

# ---- processes: stopping is a signal to each worker -------------------------------------------

process_session = None


def init_worker():
    global process_session
    # Ctrl-C at a terminal goes to every process of the group. The workers ignore it: the parent
    # decides how to stop, and terminate() ends them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    process_session = requests.Session()


def fetch_in_process(url):
    with process_session.get(url) as response:
        return ok(response.status_code, response.content)


def run_processes(urls, deadline, workers, outcome):
    pool = multiprocessing.Pool(processes=workers, initializer=init_worker)
    results = [pool.apply_async(fetch_in_process, (url,)) for url in urls]
    end = None if deadline is None else time.monotonic() + deadline
    try:
        for result in results:
            result.wait(None if end is None else max(0.0, end - time.monotonic()))
        if not all(result.ready() for result in results):
            outcome.reason = "deadline"
    except KeyboardInterrupt:
        outcome.reason = "Ctrl-C"
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # a second Ctrl-C ends us at once
    # [docs:pool_stop]
    # SIGTERM to every worker, mid-request or not; join() reaps them. Only results the parent
    # already holds survive: a worker's request in progress is simply gone.
    pool.terminate()
    pool.join()
    # [/docs:pool_stop]
    for result in results:
        if not result.ready():
            outcome.cancelled += 1
        elif result.successful() and result.get():
            outcome.fetched += 1
        else:
            outcome.failed += 1

# ---- main ---------------------------------------------------------------------------------------

MODELS = {"asyncio": run_asyncio, "threads": run_threads, "processes": run_processes}
DEFAULT_WORKERS = {"asyncio": None, "threads": 10, "processes": None}  # like webscrape_comparison.py


def read_urls(path):
    with open(path, encoding="utf-8") as file:
        return [line.strip() for line in file if line.strip() and not line.lstrip().startswith("#")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", choices=MODELS)
    parser.add_argument("--urls", required=True, help="file of URLs, one per line (# comments)")
    parser.add_argument("--deadline", type=float, help="seconds the whole run may take")
    parser.add_argument("--workers", type=int,
                        help="threads (default 10) or processes (default: one per core); asyncio has no cap")
    args = parser.parse_args()
    if args.deadline is not None and not (0 < args.deadline < 604800):  # also refuses NaN
        parser.error(f"--deadline must be a positive number of seconds, got {args.deadline}")
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    try:
        urls = read_urls(args.urls)
    except (OSError, UnicodeDecodeError) as error:
        parser.error(f"cannot read --urls {args.urls}: {error}")
    if not urls:
        parser.error(f"{args.urls}: no URLs")

    outcome = Outcome(len(urls))
    started = time.perf_counter()
    print(f"{args.model}: {len(urls)} URLs" + (f", deadline {args.deadline:g} s" if args.deadline else ""), flush=True)
    leftover = MODELS[args.model](urls, args.deadline, args.workers or DEFAULT_WORKERS[args.model], outcome)
    outcome.report(args.model, started)
    if leftover is not None and outcome.running:
        print(f"threads: waiting for the {outcome.running} running threads to finish their requests "
              "(Python cannot stop them)...", flush=True)
        leftover.shutdown(wait=True)
        print(f"threads: they finished {time.perf_counter() - started:.2f} s after the start", flush=True)
    return outcome.exit_status()


if __name__ == "__main__":
    sys.exit(main())
