#!/usr/bin/env python3
"""How fast does each model let go when it is told to stop? Measured from the server's side.

    /usr/bin/python3 compare/stop_latency.py --build build            # every model, 80 and 1,000 URLs
    /usr/bin/python3 compare/stop_latency.py --only threads,py-threads --sites 80 --repeat 1

It starts its own sitesim on 127.0.0.1 and writes a URL file whose pages each take --page-ms
(2,000 ms: a request in flight at the stop is far from done). Then, for every model (the C++
programs 01-04 and 04_asio_threads, and compare/python/stop_demo.py's three Python models), for
every URL count and for both triggers:

  deadline  the program runs with --deadline SEC (default 1) and stops itself;
  sigint    the program runs without one and gets SIGINT at SEC, sent to its process group as
            Ctrl-C at a terminal would (its worker processes get it too).

The clock starts when the server sees the program's first request (so a slow start-up, such as
Python's imports, is not counted: it is the "first request" column); the stop is that moment
plus SEC. Polling GET /__stats every 5 ms, the script records when the server last saw a request
in flight or a connection open ("to quiet server") and when the program exited ("to exit"), both
from the stop; and the exit status (documented: 1 after a deadline; after Ctrl-C, 130 from the
Python programs, death by SIGINT from the C++ ones, which a shell also shows as 130). A
program's own deadline clock starts a little before its first request reaches the server, so a
deadline row can read a few ms low, even below 0; the SIGINT rows have no such offset. It repeats each case (--repeat,
default 3) and prints the medians as a table; --json FILE keeps every run.

The machine's load is printed before and after, and how much of the CPUs other programs took
during the runs (from /proc/stat, as common/cpu_share does): a busy machine stretches every
figure, and the script says so. Exit status: 0 every run ended with its documented exit status
and a quiet server; 1 some did not (each is named); 2 bad usage, or something to run is missing.
"""
import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

POLL_S = 0.005         # /__stats every 5 ms
START_LIMIT_S = 30     # a program whose first request has not arrived by then has failed
END_LIMIT_S = 60       # a program still running (or a server still busy) that long after the stop
EXPECTED = {"deadline": {1}, "sigint": {130}}  # documented exit status per trigger


@dataclass
class Model:
    key: str
    label: str
    language: str
    program: str = ""  # C++: path under the build directory
    python_model: str = ""  # Python: stop_demo.py's model

    def command(self, args, urls_file, trigger):
        deadline = ["--deadline", f"{args.at:g}"] if trigger == "deadline" else []
        if self.program:
            return [str(args.build / self.program), "--urls", str(urls_file), *deadline]
        return [args.python, str(STOP_DEMO), self.python_model, "--urls", str(urls_file), *deadline]


STOP_DEMO = Path(__file__).resolve().parent / "python" / "stop_demo.py"
CORES = os.cpu_count() or 1
MODELS = [
    Model("serial", "Serial", "C++", program="01_serial/01_serial"),
    Model("threads", "Threads (10)", "C++", program="02_threads/02_threads"),
    Model("processes", f"Processes ({CORES})", "C++", program="03_processes/03_processes"),
    Model("event-loop", "Event loop", "C++", program="04_asio/04_asio"),
    Model("event-loop-threads", "Event loop + threads", "C++", program="04_asio/04_asio_threads"),
    Model("py-asyncio", "asyncio.timeout(gather)", "Python", python_model="asyncio"),
    Model("py-threads", "ThreadPoolExecutor (10)", "Python", python_model="threads"),
    Model("py-processes", f"Pool.terminate ({CORES})", "Python", python_model="processes"),
]


class Usage(Exception):
    """Bad usage or something missing: exit 2 with the message."""

# ---- the machine's load, from /proc/stat ---------------------------------------------------------

def busy_seconds():
    """(busy, total) CPU seconds of the whole machine since boot, or None: /proc/stat's cpu line."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[1:9])
    ticks = os.sysconf("SC_CLK_TCK")
    busy = user + nice + system + irq + softirq + steal
    return busy / ticks, (busy + idle + iowait) / ticks


def load_now(seconds=1.0):
    """The machine's busy share over the next `seconds`, and the load averages."""
    before = busy_seconds()
    time.sleep(seconds)
    after = busy_seconds()
    share = None
    if before and after and after[1] > before[1]:
        share = (after[0] - before[0]) / (after[1] - before[1])
    return {"busy_share": share, "loadavg": list(os.getloadavg())}


def describe_load(name, load):
    share = "unknown" if load["busy_share"] is None else f"{load['busy_share']:.0%} of {CORES} cores busy"
    return f"{name}: {share} (over 1 s), load average {' '.join(f'{x:.2f}' for x in load['loadavg'])}"


def own_cpu_seconds(sitesim_pid):
    """CPU seconds of this script, the programs it ran (reaped), and sitesim (still running)."""
    own = os.times()
    total = own.user + own.system + own.children_user + own.children_system
    try:
        with open(f"/proc/{sitesim_pid}/stat", encoding="ascii") as stat:
            after_name = stat.read().rsplit(")", 1)[1].split()
        total += (int(after_name[11]) + int(after_name[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    except (OSError, IndexError, ValueError):
        pass
    return total

# ---- the simulator --------------------------------------------------------------------------------

class Sitesim:
    """sitesim on a free loopback port; stop() ends it by its PID (also called on Ctrl-C)."""

    def __init__(self, path):
        if not os.access(path, os.X_OK):
            raise Usage(f"{path}: no sitesim there (build it: cmake --build --preset ci --target sitesim, "
                        "or pass --build DIR)")
        # --parent-pid: even if this script is killed, sitesim does not outlive it. A session of
        # its own: Ctrl-C at the terminal reaches this script only, which then stops it by PID.
        self.process = subprocess.Popen([str(path), "--port", "0", "--parent-pid", str(os.getpid())],
                                        stdout=subprocess.PIPE, text=True, start_new_session=True)
        line = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            self.stop()
            raise Usage(f"sitesim did not start: {line!r}")
        self.port = int(match.group(1))
        self.connection = None

    def stats(self, path="/__stats"):
        # One keep-alive connection for every poll. /__stats is an observer: sitesim counts
        # neither it nor its connection, so polling does not disturb what it measures.
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                self.connection.request("GET", path)
                return json.loads(self.connection.getresponse().read())
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise

    def quiet(self, stats):
        return stats["in_flight"] == 0 and stats["connections"] == 0

    def wait_quiet(self, limit_s):
        end = time.monotonic() + limit_s
        while time.monotonic() < end:
            if self.quiet(self.stats()):
                return True
            time.sleep(POLL_S)
        return False

    def stop(self):
        if self.connection is not None:
            self.connection.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()

# ---- one run --------------------------------------------------------------------------------------

@dataclass
class Run:
    model: str
    urls: int
    trigger: str
    exit_status: object = None   # int; -N when killed by signal N
    in_flight_at_stop: int = 0
    to_quiet_s: float = None     # from the stop to the last poll that saw activity, then quiet
    to_exit_s: float = None
    requests: int = 0            # requests the server received in all
    no_request: bool = False     # the program ended before any request reached the server
    first_request_s: float = None  # from its start to its first request at the server
    problems: list = field(default_factory=list)

    def status_text(self):
        if self.exit_status is None:
            return "none"
        if self.exit_status < 0:
            return f"{signal.Signals(-self.exit_status).name} ({128 - self.exit_status})"
        return str(self.exit_status)


def has_exited(process):
    """Whether the program has exited, without reaping it. Unreaped, its PID (which is also its
    process group's id) cannot be given to another process, so what is left of its group can be
    killed by that id without any risk of hitting someone else's processes."""
    return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def group_members(pgid):
    """PIDs of the live processes in process group `pgid` (from /proc/PID/stat)."""
    members = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def measure(sim, model, args, urls_file, count, trigger, scratch):
    run = Run(model.key, count, trigger)
    if not sim.wait_quiet(END_LIMIT_S):
        run.problems.append(f"not run: the server was still busy {END_LIMIT_S} s after the previous run")
        return run
    sim.stats("/__reset")  # each run's request count from 0
    log = open(scratch / f"{model.key}-{count}-{trigger}.log", "w+", encoding="utf-8", errors="replace")
    # A process group of its own: the SIGINT goes to it and its workers (as Ctrl-C at a terminal
    # does), never to this script; and whatever is left of it can be ended by its id.
    started = time.monotonic()
    process = subprocess.Popen(model.command(args, urls_file, trigger), stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        follow(sim, process, run, args, log, started)
    finally:
        if not has_exited(process):  # a run that failed to end (or Ctrl-C on this script)
            os.killpg(process.pid, signal.SIGKILL)
        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
        left = group_members(process.pid)
        if left:  # its workers outlived it: a defect of the program
            run.problems.append(f"processes {left} of its group were still running after it exited (killed)")
            os.killpg(process.pid, signal.SIGKILL)
        run.exit_status = process.wait()  # reaped only now
        output = tail(log)
        log.close()
    status_ok = shell_status(run.exit_status) in EXPECTED[run.trigger]
    if run.no_request and not (run.trigger == "deadline" and status_ok):
        run.problems.append(f"no request reached the server; exit status {run.status_text()}; its output ends: {output!r}")
    elif not status_ok:
        run.problems.append(f"exit status {run.status_text()}, documented: {sorted(EXPECTED[run.trigger])}; "
                            f"its output ends: {output!r}")
    return run


def follow(sim, process, run, args, log, started):
    # The clock: the first request the server sees.
    limit = time.monotonic() + START_LIMIT_S
    while sim.stats()["requests"] == 0:  # reset before the run: 0 until its first request
        if has_exited(process) or time.monotonic() > limit:
            # A deadline can pass before a slow start sent anything (1,000 asyncio connections on
            # a busy machine): an outcome, if the program then stopped as documented.
            run.no_request = True
            if not has_exited(process):
                run.problems.append(f"no request within {START_LIMIT_S} s")
            return
        time.sleep(POLL_S)
    run.first_request_s = time.monotonic() - started
    stopped = time.monotonic() + args.at
    signalled = run.trigger != "sigint"
    # Poll until the program has exited and the server is quiet. Quiet counts from the first poll
    # of the last quiet stretch, so a moment of quiet between two requests of a program still
    # working is not taken for the end. It is tracked from the first request on: a program's own
    # deadline clock starts a little before its first request reaches the server, so it may stop
    # a few ms before `stopped` (a deadline row can then read slightly below 0).
    quiet_since, stats = None, {}
    end = stopped + END_LIMIT_S
    while time.monotonic() < end:
        now = time.monotonic()
        if not signalled and now >= stopped:
            os.killpg(process.pid, signal.SIGINT)  # the whole group, as Ctrl-C at a terminal
            signalled = True
        stats = sim.stats()
        if now < stopped:  # what the stop will have to abort
            run.in_flight_at_stop = max(run.in_flight_at_stop, stats["in_flight"])
        if not sim.quiet(stats):
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        if run.to_exit_s is None and has_exited(process):
            run.to_exit_s = time.monotonic() - stopped
        if run.to_exit_s is not None and quiet_since is not None and signalled:
            break
        time.sleep(POLL_S)
    else:
        run.problems.append(f"still {'busy' if run.to_exit_s is not None else 'running'} {END_LIMIT_S} s after the stop; "
                            f"its output ends: {tail(log)!r}")
    run.to_quiet_s = None if quiet_since is None else quiet_since - stopped
    run.requests = stats.get("requests", 0)


def shell_status(status):
    """The status as a shell shows it: 128 + N for a program killed by signal N."""
    return 128 - status if status < 0 else status


def tail(log, chars=300):
    log.flush()
    log.seek(0)
    return log.read()[-chars:]

# ---- the table ------------------------------------------------------------------------------------

def summarise(runs, models):
    rows = []
    for model in models:
        for count in sorted({r.urls for r in runs}):
            for trigger in ("deadline", "sigint"):
                mine = [r for r in runs if r.model == model.key and r.urls == count and r.trigger == trigger]
                if not mine:
                    continue
                quiet = [r.to_quiet_s for r in mine if r.to_quiet_s is not None]
                exits = [r.to_exit_s for r in mine if r.to_exit_s is not None]
                firsts = [r.first_request_s for r in mine if r.first_request_s is not None]
                rows.append({
                    "model": model.key, "label": model.label, "language": model.language, "urls": count,
                    "trigger": trigger, "runs": len(mine),
                    "in_flight_at_stop": statistics.median(r.in_flight_at_stop for r in mine),
                    # Medians of the runs that sent a request (a note counts the others).
                    "to_quiet_s": statistics.median(quiet) if quiet else None,
                    "to_exit_s": statistics.median(exits) if exits else None,
                    "first_request_s": statistics.median(firsts) if firsts else None,
                    "exit_statuses": sorted({r.status_text() for r in mine}),
                    "no_request_runs": sum(r.no_request for r in mine),
                })
    return rows


def print_table(rows, at):
    def ms(seconds):
        return "-" if seconds is None else f"{seconds * 1000:,.0f} ms"
    def note(r):
        return f"  {r['no_request_runs']} of {r['runs']} runs sent no request before the deadline" \
            if r["no_request_runs"] else ""
    header = ("model", "URLs", "stop", "first request", "in flight", "to quiet server", "to exit", "exit")
    lines = [(f"{r['label']} ({r['language']})", f"{r['urls']:,}",
              f"--deadline {at:g}" if r["trigger"] == "deadline" else f"SIGINT at {at:g} s",
              ms(r["first_request_s"]), f"{r['in_flight_at_stop']:g}", ms(r["to_quiet_s"]), ms(r["to_exit_s"]),
              ",".join(r["exit_statuses"]))
             for r in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    for line, r in zip((header, *lines), (None, *rows)):
        print("  ".join(cell.ljust(w) if i < 3 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths)))
              + (note(r) if r else ""))

# ---- main -----------------------------------------------------------------------------------------

def positive_counts(text):
    try:
        counts = [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"needs comma-separated whole numbers, got {text!r}") from None
    if not counts or any(not 1 <= n <= 20000 for n in counts):
        raise argparse.ArgumentTypeError(f"each count must be 1 to 20,000, got {text!r}")
    return counts


def seconds(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"needs a number of seconds, got {text!r}") from None
    if not 0 < value <= 600:  # also refuses NaN
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 600 s, got {text!r}")
    return value


def parse_args():
    keys = [m.key for m in MODELS]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, default=Path("build"), help="the build directory (default: build)")
    parser.add_argument("--only", default=",".join(keys), help=f"models to run, comma-separated: {','.join(keys)}")
    parser.add_argument("--sites", type=positive_counts, default=[80, 1000], help="URL counts (default: 80,1000)")
    parser.add_argument("--page-ms", type=int, default=2000, help="how long every page takes (default 2000)")
    parser.add_argument("--at", type=seconds, default=1.0,
                        help="the stop, in seconds after the first request: --deadline SEC / SIGINT then (default 1)")
    parser.add_argument("--triggers", default="deadline,sigint", help="deadline, sigint or both (default)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each case; the table shows medians (default 3)")
    parser.add_argument("--json", type=Path, help="also write every run and the table as JSON to FILE")
    parser.add_argument("--python", default="/usr/bin/python3",
                        help="the interpreter for the Python models (default: Debian's, which has requests and aiohttp)")
    args = parser.parse_args()
    if not 1 <= args.repeat <= 100:
        parser.error(f"--repeat must be 1 to 100, got {args.repeat}")
    if not 0 <= args.page_ms <= 600000:
        parser.error(f"--page-ms must be 0 to 600000, got {args.page_ms}")
    args.triggers = args.triggers.split(",")
    if any(t not in EXPECTED for t in args.triggers):
        parser.error(f"--triggers takes deadline and/or sigint, got {','.join(args.triggers)!r}")
    chosen = args.only.split(",")
    unknown = [k for k in chosen if k not in keys]
    if unknown:
        parser.error(f"unknown model(s) {','.join(unknown)} in --only; known: {','.join(keys)}")
    args.models = [m for m in MODELS if m.key in chosen]
    if args.json is not None and not args.json.resolve().parent.is_dir():
        parser.error(f"--json {args.json}: no directory {args.json.resolve().parent}")
    return args


def check_runnable(models, args):
    """Every model must be there, and a C++ program must have --deadline (a build of today's tree)."""
    for model in models:
        if model.program:
            path = args.build / model.program
            if not os.access(path, os.X_OK):
                raise Usage(f"{path}: not built (cmake --build --preset ci --target {Path(model.program).name})")
            usage = subprocess.run([str(path), "--help"], capture_output=True, text=True, timeout=30).stdout
            if "--deadline" not in usage:
                raise Usage(f"{path} has no --deadline option (its --help does not list it): rebuild it "
                            "(cmake --build --preset ci), or leave it out with --only")
        else:
            probe = subprocess.run([args.python, "-c", "import requests, aiohttp"], capture_output=True, text=True)
            if probe.returncode != 0:
                raise Usage(f"{args.python} cannot import requests and aiohttp "
                            "(apt-get install python3-requests python3-aiohttp)")


def run_all(sim, args):
    """Every model, URL count, trigger and repeat, in that order of loops; the runs."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="stop_latency.") as scratch:
        for count in args.sites:
            urls_file = Path(scratch) / f"urls-{count}"
            urls_file.write_text("".join(f"http://127.0.0.1:{sim.port}/site/{i}?delay_ms={args.page_ms}\n"
                                         for i in range(count)))
            for model in args.models:
                for trigger in args.triggers:
                    for _ in range(args.repeat):
                        run = measure(sim, model, args, urls_file, count, trigger, Path(scratch))
                        runs.append(run)
                        quiet = "-" if run.to_quiet_s is None else f"{run.to_quiet_s * 1000:.0f} ms"
                        print(f"  {model.key} {count} {trigger}: quiet after {quiet}, exit {run.status_text()}"
                              + "".join(f"; PROBLEM: {p}" for p in run.problems), flush=True)
    return runs


def main():
    args = parse_args()
    check_runnable(args.models, args)
    print(f"{os.uname().sysname} {os.uname().release}, {CORES} cores; Python models: {args.python}", flush=True)
    load_before = load_now()
    print(describe_load("machine before", load_before), flush=True)
    sim = Sitesim(args.build / "simulator" / "sitesim")
    try:
        print(f"sitesim pid {sim.process.pid} on port {sim.port}; pages take {args.page_ms} ms", flush=True)
        busy_start, wall_start, own_start = busy_seconds(), time.monotonic(), own_cpu_seconds(sim.process.pid)
        runs = run_all(sim, args)
        own = own_cpu_seconds(sim.process.pid) - own_start
    finally:
        sim.stop()  # also on Ctrl-C, SIGTERM and an error: by its PID
    busy_end, wall = busy_seconds(), time.monotonic() - wall_start
    others = None  # other programs' share of the CPUs during the runs
    if busy_start and busy_end and wall > 0:
        others = max(0.0, min(1.0, (busy_end[0] - busy_start[0] - own) / (wall * CORES)))
    load_after = load_now()
    print(describe_load("machine after", load_after))
    busy = others is not None and others >= 0.10
    if others is not None:
        print(f"during the runs other programs used {others:.0%} of the machine's CPUs"
              + (": busy machine, every figure is stretched" if busy else ""))
    rows = summarise(runs, args.models)
    print()
    print_table(rows, args.at)
    if args.json:
        args.json.write_text(json.dumps({
            "machine": {"system": f"{os.uname().sysname} {os.uname().release}", "cores": CORES,
                        "load_before": load_before, "load_after": load_after, "others_share": others,
                        "busy_machine": busy},
            "settings": {"page_ms": args.page_ms, "at_s": args.at, "repeat": args.repeat, "sites": args.sites},
            "rows": rows, "runs": [run.__dict__ for run in runs]}, indent=2) + "\n")
    failed = [r for r in runs if r.problems]
    for run in failed:
        print(f"{run.model} {run.urls} {run.trigger}: {'; '.join(run.problems)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # SIGTERM too runs the clean-up (finally)
    # A shell starts a background job (`cmd &` in a script, nohup) with SIGINT ignored, and an
    # ignored signal stays ignored across exec: every program measured would then never see the
    # SIGINT it is sent (and Python would keep it ignored too). A handler of our own is reset to
    # the default action in each program we start, and makes Ctrl-C reach this script as well.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        sys.exit(main())
    except Usage as error:
        print(f"stop_latency.py: {error}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
