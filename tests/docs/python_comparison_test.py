#!/usr/bin/env python3
"""compare/python/webscrape_comparison.py checks what it says: whole pages pass, and a body cut
short (sitesim's fault=truncate: Content-Length promises more than arrives; requests 2.28 with
urllib3 1.26 return it with status 200) is a failed fetch in every model, with exit status 1.

usage: python_comparison_test.py SCRIPT SITESIM
Exit 77 (CTest: skipped, not passed) when Debian's /usr/bin/python3 lacks requests or aiohttp.
"""
import subprocess
import sys

PYTHON = "/usr/bin/python3"


def run(script, sitesim, *extra):
    return subprocess.run([PYTHON, script, "--sitesim", sitesim, "--sites", "3", "--latency-ms", "5", *extra],
                          capture_output=True, text=True, timeout=120)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    script, sitesim = sys.argv[1], sys.argv[2]
    probe = subprocess.run([PYTHON, "-c", "import requests, aiohttp"], capture_output=True)
    if probe.returncode != 0:
        print("skipped: /usr/bin/python3 has no requests or aiohttp (apt-get install python3-requests python3-aiohttp)")
        return 77
    problems = []
    whole = run(script, sitesim)
    if whole.returncode != 0 or whole.stdout.count("3 ok, 0 failed") != 4:
        problems.append(f"whole pages: exit {whole.returncode}, expected 0 and '3 ok, 0 failed' for each of 4 models\n"
                        f"{whole.stdout}{whole.stderr}")
    cut = run(script, sitesim, "--query", "fault=truncate")
    if cut.returncode != 1:
        problems.append(f"bodies cut short: exit {cut.returncode}, expected 1")
    if cut.stdout.count("0 ok, 3 failed") != 4:
        problems.append(f"bodies cut short: expected '0 ok, 3 failed' for each of 4 models\n{cut.stdout}")
    # The requests-based models (serial, threads, processes) see status 200 and no exception: only
    # the Content-Length check catches them, 3 pages each.
    if cut.stderr.count("Content-Length says") != 9:
        problems.append(f"bodies cut short: expected 9 Content-Length mismatches on stderr\n{cut.stderr}")
    for problem in problems:
        print(problem)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
