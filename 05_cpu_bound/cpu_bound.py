#!/usr/bin/env python3
"""Chapter 5, the Python side: the same CPU-bound work as 05_cpu_bound, in pure Python.

Counts the primes in --tasks ranges of --size numbers by trial division, serially, with a
ThreadPoolExecutor and with a multiprocessing.Pool, and prints the same report (and the same
checksums) as the C++ program. Standard library only. On a CPython with the GIL, the
threads take as long as the serial run: only one thread runs Python bytecode at a time.
The processes each have their own interpreter and GIL, so they use every core.

    python3 05_cpu_bound/cpu_bound.py                      # 20 tasks of 5,000 numbers
    python3 05_cpu_bound/cpu_bound.py --size 50000         # the C++ program's default work
    python3 05_cpu_bound/cpu_bound.py --model threads --workers 4
    python3 05_cpu_bound/cpu_bound.py --model threads --switch-interval 0.05    # fewer GIL hand-offs
    python3 05_cpu_bound/cpu_bound.py --model processes --start-method forkserver  # 3.14's default

The first line of the report names the interpreter (version, path, GIL): `python3` may not be
the one you think (a pyenv or venv shim earlier on PATH). The tour's figures use Debian's
/usr/bin/python3.

Exit status: 0 every model agreed with the serial one; 1 one differed; 2 bad usage.
"""
import argparse
import concurrent.futures
import json
import multiprocessing
import os
import platform
import sys
import time

MASK = (1 << 64) - 1  # C++'s std::uint64_t wraps modulo 2**64; Python's int never does


def mix(n):
    """splitmix64's finaliser, exactly as cpu::mix in workload.cpp."""
    z = (n + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


# [docs:work]
def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(task):
    first, last = task
    primes, checksum = 0, 0
    for n in range(first, last):
        if is_prime(n):
            primes += 1
            checksum = (checksum + mix(n)) & MASK
    return primes, checksum
# [/docs:work]


def make_tasks(start, count, size):
    return [(start + i * size, start + (i + 1) * size) for i in range(count)]


def run_checksum(results):
    """FNV-1a over the tasks' checksums in task order, as cpu::run_checksum."""
    h = 0xCBF29CE484222325
    for _, checksum in results:
        h = ((h ^ checksum) * 0x100000001B3) & MASK
    return h


# [docs:models]
def run_serial(tasks, workers):
    return [count_primes(task) for task in tasks]


def run_threads(tasks, workers):
    # Threads share one interpreter; the GIL lets one of them run bytecode at a time.
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        return list(executor.map(count_primes, tasks))


def run_processes(tasks, workers):
    # Each worker process has its own interpreter (and GIL). Tasks and results travel
    # between processes pickled, through pipes.
    with multiprocessing.Pool(workers) as pool:
        return pool.map(count_primes, tasks)
# [/docs:models]


MODELS = {"serial": ("Serial", run_serial), "threads": ("Threads", run_threads),
          "processes": ("Processes", run_processes)}


def whole_number(text, least):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be at least {least} (got {value})")
    return value


def positive(text):
    return whole_number(text, 1)


def non_negative(text):
    return whole_number(text, 0)


def gil_state():
    check = getattr(sys, "_is_gil_enabled", None)  # Python 3.13+
    if check is None:
        return "GIL enabled (every CPython before 3.13)"
    return "GIL enabled" if check() else "GIL disabled (free-threaded build)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Exit status: 0 every model agreed; 1 one differed; 2 bad usage.")
    parser.add_argument("--model", choices=["all", *MODELS], default="all", help="which model (default all)")
    parser.add_argument("--tasks", type=positive, default=20, help="how many tasks (default 20)")
    parser.add_argument("--size", type=positive, default=5_000, help="numbers per task (default 5,000)")
    parser.add_argument("--start", type=non_negative, default=1_000_000_000,
                        help="first number of the first task (default 1,000,000,000)")
    parser.add_argument("--workers", type=positive, default=os.cpu_count() or 1,
                        help="threads or processes (default: the number of cores)")
    parser.add_argument("--switch-interval", type=float, metavar="SEC",
                        help="sys.setswitchinterval(SEC) before the models run (default: leave it, 0.005)")
    parser.add_argument("--start-method", choices=multiprocessing.get_all_start_methods(),
                        help="multiprocessing start method for the processes model (default: the platform's; "
                             "fork on Linux up to 3.13, forkserver from 3.14)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    args = parser.parse_args(argv)
    if args.switch_interval is not None and args.switch_interval <= 0:
        parser.error("--switch-interval must be greater than 0")
    if args.start + args.tasks * args.size > 10**13:
        parser.error("the last number (start + tasks * size) must not exceed 10^13")

    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    if args.start_method is not None:
        multiprocessing.set_start_method(args.start_method)
    tasks = make_tasks(args.start, args.tasks, args.size)
    print(f"CPU-bound work: {len(tasks):,} tasks of {args.size:,} numbers from {args.start:,}, primes counted "
          f"by trial division; {os.cpu_count()} cores; Python {platform.python_version()} ({sys.executable}), "
          f"{gil_state()}, switch interval {sys.getswitchinterval() * 1000:g} ms, "
          f"start method {multiprocessing.get_start_method()}\n", flush=True)

    reference, serial_seconds, status, records = None, None, 0, []
    for key, (name, run) in MODELS.items():
        if args.model not in ("all", key):
            continue
        print(f"Starting {name} computation of {len(tasks)} tasks...", flush=True)
        before_cpu = os.times()
        start = time.perf_counter()
        results = run(tasks, args.workers)
        seconds = time.perf_counter() - start
        after_cpu = os.times()
        # user + system time of this process (all its threads) and of its reaped children
        cpu = sum(after_cpu[:4]) - sum(before_cpu[:4])
        print(f"{name} computation of {len(tasks)} tasks - Duration: {seconds:.2f} seconds")
        if reference is None:
            reference = results
        agrees = results == reference
        status = status or (0 if agrees else 1)
        if key == "serial":
            serial_seconds = seconds
        workers = 1 if key == "serial" else args.workers
        line = f"  checksum 0x{run_checksum(results):016x}"
        line += "" if agrees else " DIFFERS from the first model's"
        line += f", {workers} worker{'s' if workers > 1 else ''}"
        if serial_seconds and seconds > 0:
            line += f", {serial_seconds / seconds:.2f}x serial"
        line += f", CPU time {cpu:.2f} s"
        if key == "processes" and multiprocessing.get_start_method() == "forkserver":
            # The workers are children of the fork server, not of this process: os.times()
            # never sees their CPU time.
            line += " (this process only: forkserver's workers are not its children)"
        print(line, flush=True)
        records.append({"model": key, "name": name, "ok": agrees, "workers": workers, "seconds": seconds,
                        "cpu_seconds": cpu, "checksum": f"0x{run_checksum(results):016x}",
                        "tasks": [{"first": t[0], "last": t[1], "primes": p, "checksum": f"0x{c:016x}"}
                                  for t, (p, c) in zip(tasks, results)]})
    print(f"{sum(p for p, _ in reference):,} primes; "
          + ("every model agreed." if status == 0 else "some model DIFFERED."))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"program": "cpu_bound.py", "python": platform.python_version(), "executable": sys.executable,
                       "gil": gil_state(), "switch_interval": sys.getswitchinterval(),
                       "start_method": multiprocessing.get_start_method(),
                       "tasks": args.tasks, "size": args.size, "start": args.start, "workers": args.workers,
                       "models": records, "ok": status == 0}, f, indent=2)
    return status


if __name__ == "__main__":  # required by multiprocessing: the workers import this file
    sys.exit(main())
