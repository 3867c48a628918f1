#!/usr/bin/env python3
"""Chapter 5's figures: run 05_cpu_bound and cpu_bound.py a few times each and print the
median of every model as one Markdown table (the table in docs/05-cpu-bound.md).

    python3 05_cpu_bound/benchmark.py --build build --repeat 3

Run it on an otherwise idle machine: other processes competing for the cores show up as
lost speed-up (check `uptime` before and after). The Python column uses the interpreter that
runs this script: `/usr/bin/python3 05_cpu_bound/benchmark.py` for Debian's, as in the docs.
Standard library only.
"""
import platform
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run_json(command):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        subprocess.run(command + ["--json", f.name], check=True, stdout=subprocess.DEVNULL)
        with open(f.name) as data:
            return json.load(data)


def medians(command, repeat):
    """{model name: (median seconds, median cpu seconds, workers, checksum, (lowest, highest)
    speed-up over serial within one run)} over `repeat` runs."""
    runs = [run_json(command) for _ in range(repeat)]
    table = {}
    for model in runs[0]["models"]:
        same = [m for r in runs for m in r["models"] if m["model"] == model["model"]]
        if not all(m["ok"] for m in same):
            sys.exit(f"{model['name']}: a run failed or differed from the reference")
        speedups = [next(m["seconds"] for m in r["models"] if m["model"] == "serial") /
                    next(m["seconds"] for m in r["models"] if m["model"] == model["model"]) for r in runs]
        table[model["name"]] = (statistics.median(m["seconds"] for m in same),
                                statistics.median(m["cpu_seconds"] for m in same), model["workers"],
                                model["checksum"], (min(speedups), max(speedups)))
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build", help="the CMake build directory (default build)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per program; the median is shown (default 3)")
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--cpp-size", type=int, default=50_000, help="C++ numbers per task (default 50,000)")
    parser.add_argument("--py-size", type=int, default=5_000, help="Python numbers per task (default 5,000)")
    args = parser.parse_args()

    program = os.path.join(args.build, "05_cpu_bound", "05_cpu_bound")
    script = os.path.join(HERE, "cpu_bound.py")
    columns = [
        (f"C++ --size {args.cpp_size:,}", [program, "--tasks", str(args.tasks), "--size", str(args.cpp_size)]),
        (f"C++ --size {args.py_size:,}", [program, "--tasks", str(args.tasks), "--size", str(args.py_size)]),
        (f"Python --size {args.py_size:,}", [sys.executable, script, "--tasks", str(args.tasks), "--size", str(args.py_size)]),
    ]
    load_before = os.getloadavg()[0]
    results = [(title, medians(command, args.repeat)) for title, command in columns]
    if results[1][1]["Serial"][3] != results[2][1]["Serial"][3]:
        sys.exit("C++ and Python disagree on the checksum for the same work")

    names = []
    for _, table in results:
        names += [n for n in table if n not in names]
    print(f"Median of {args.repeat} runs, {args.tasks} tasks; seconds (speed-up vs serial) [CPU seconds]; "
          f"Python {platform.python_version()} ({sys.executable}); load average before: "
          f"{load_before:.2f}\n")
    print("| Model | " + " | ".join(title for title, _ in results) + " |")
    print("|---|" + "---|" * len(results))
    for name in names:
        cells = []
        for _, table in results:
            if name not in table:
                cells.append("-")
                continue
            seconds, cpu, workers, _, _ = table[name]
            serial = table["Serial"][0]
            cells.append(f"{seconds:.2f} ({serial / seconds:.2f}x) [{cpu:.2f}]")
        workers = next(t[name][2] for _, t in results if name in t)
        label = "TBB's threads" if workers == 0 else f"{workers} {'worker' if workers == 1 else 'workers'}"
        print(f"| {name} ({label}) | " + " | ".join(cells) + " |")
    print(f"\nSpeed-up over serial, lowest to highest of the {args.repeat} runs (each run against its own serial):")
    for title, table in results:
        print(f"  {title}: " + ", ".join(f"{name} {lo:.2f}-{hi:.2f}x" for name, (*_, (lo, hi)) in table.items()
                                        if name != "Serial"))
    print(f"Load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
