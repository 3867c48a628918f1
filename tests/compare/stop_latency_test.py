#!/usr/bin/env python3
"""compare/stop_latency.py on a tiny run: 8 URLs whose pages take 2 s, stopped at 1 s.

usage: stop_latency_test.py SCRIPT BUILD_DIR

Checks what the script promises: every run ends, with the documented exit status (1 after the
deadline, 130 after SIGINT), the server quiet at the end (an abort the server never saw would
leave it busy), one table row per model and trigger, bad usage exit 2, and its own sitesim
stopped, also when the script itself gets Ctrl-C. Timing is bounded generously only.

Every model runs, the Python ones and the C++ programs (a program without --deadline in its
--help makes the script exit 2, which fails this test). Exit 77 (CTest: skipped) only when
/usr/bin/python3 lacks requests or aiohttp.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = "/usr/bin/python3"
PY_MODELS = ["py-asyncio", "py-threads", "py-processes"]
CPP_MODELS = ["serial", "threads", "processes", "event-loop", "event-loop-threads"]


def sitesim_gone(pid):
    """True when no sitesim runs with this pid any more (a reused pid runs something else)."""
    try:
        return b"sitesim" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True


def ignore_sigint():
    """Start the script as a shell starts a background job: SIGINT ignored. It must still send
    the programs a SIGINT they see, and stop when it gets one itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    script, build = sys.argv[1], sys.argv[2]
    if subprocess.run([PYTHON, "-c", "import requests, aiohttp"], capture_output=True).returncode != 0:
        print("skipped: /usr/bin/python3 has no requests or aiohttp (apt-get install python3-requests python3-aiohttp)")
        return 77
    models = PY_MODELS + CPP_MODELS
    problems = []
    base = [PYTHON, script, "--build", build]

    # Bad usage: exit 2 and a message, before anything starts.
    for bad in (["--only", "nosuch"], ["--at", "nan"], ["--sites", "0"], ["--repeat", "0"],
                ["--triggers", "later"], ["--build", "/nonexistent"]):
        run = subprocess.run(base + bad, capture_output=True, text=True, timeout=60)
        if run.returncode != 2 or not run.stderr.strip():
            problems.append(f"{bad}: exit {run.returncode}, expected 2 with a message; stderr {run.stderr!r}")

    with tempfile.TemporaryDirectory() as scratch:
        report_file = Path(scratch) / "stop.json"
        run = subprocess.run(base + ["--only", ",".join(models), "--sites", "8", "--page-ms", "2000", "--at", "1",
                                     "--repeat", "1", "--json", str(report_file)],
                             capture_output=True, text=True, timeout=900, preexec_fn=ignore_sigint)
        print(run.stdout, run.stderr, sep="\n")
        if run.returncode != 0:
            problems.append(f"the run: exit {run.returncode}, expected 0")
        report = json.loads(report_file.read_text()) if report_file.exists() else {"runs": [], "rows": []}
    expected = {"deadline": 1, "sigint": 130}
    for model in models:
        for trigger, status in expected.items():
            mine = [r for r in report["runs"] if r["model"] == model and r["trigger"] == trigger]
            if len(mine) != 1:
                problems.append(f"{model} {trigger}: {len(mine)} runs in --json, expected 1")
                continue
            r = mine[0]
            # After SIGINT the C++ programs end by SIGINT itself (-2 here, 130 in a shell), once
            # their report is out; the Python ones exit with 130.
            if r["exit_status"] != status and not (trigger == "sigint" and r["exit_status"] == -signal.SIGINT):
                problems.append(f"{model} {trigger}: exit status {r['exit_status']}, documented {status}")
            if r["to_quiet_s"] is None or not -1 < r["to_quiet_s"] < 15:
                problems.append(f"{model} {trigger}: server quiet after {r['to_quiet_s']} s, expected within 15 s")
            # A deadline row may read a little below 0 (stop_latency.py: the program's clock starts first).
            if r["to_exit_s"] is None or not -1 < r["to_exit_s"] < 30:
                problems.append(f"{model} {trigger}: exited after {r['to_exit_s']} s, expected within 30 s")
            # 8 pages of 2 s, stopped at 1 s: no page can be done, something must be in flight.
            if not 1 <= r["in_flight_at_stop"] <= 8 or r["requests"] > 8 or r["problems"]:
                problems.append(f"{model} {trigger}: {r['in_flight_at_stop']} in flight at the stop, "
                                f"{r['requests']} requests, problems {r['problems']}")
            if model == "serial" and r["in_flight_at_stop"] != 1:
                problems.append(f"serial {trigger}: {r['in_flight_at_stop']} in flight, expected exactly 1")
            label = next((row["label"] for row in report["rows"] if row["model"] == model), model)
            stop = "--deadline 1" if trigger == "deadline" else "SIGINT at 1 s"
            if not re.search(rf"^{re.escape(label)} \(\w+\+*\)\s+8\s+{re.escape(stop)}\s.*\s(SIGINT \()?{status}\)?$", run.stdout, re.M):
                problems.append(f"{model} {trigger}: no table row '{label} ... 8  {stop} ... {status}' on stdout")
    pid = re.search(r"sitesim pid (\d+)", run.stdout)
    if not pid or not sitesim_gone(int(pid.group(1))):
        problems.append(f"the script's sitesim is still running after it ended (pid line: {pid})")

    # Ctrl-C on the script itself, in the middle of a run: its sitesim and the model end too.
    script_run = subprocess.Popen(base + ["--only", "py-threads", "--sites", "8", "--repeat", "3"],
                                  stdout=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=ignore_sigint)
    first = ""
    for _ in range(20):  # its lines until the sitesim pid
        first = script_run.stdout.readline()
        if "sitesim pid" in first or not first:
            break
    time.sleep(2)  # into the first run
    os.killpg(script_run.pid, signal.SIGINT)  # the group, as Ctrl-C at a terminal
    try:
        status = script_run.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(script_run.pid, signal.SIGKILL)
        status = script_run.wait()
    script_run.stdout.close()
    pid = re.search(r"sitesim pid (\d+)", first)
    if status != 130:
        problems.append(f"the script after Ctrl-C: exit {status}, expected 130")
    if not pid or not sitesim_gone(int(pid.group(1))):
        problems.append(f"after Ctrl-C the script's sitesim is still running ({first!r})")
    time.sleep(1)
    try:
        os.killpg(script_run.pid, 0)
        problems.append("after Ctrl-C a process of the script's group is still running")
        os.killpg(script_run.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass

    for problem in problems:
        print("PROBLEM:", problem)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
