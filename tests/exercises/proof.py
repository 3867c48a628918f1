#!/usr/bin/env python3
"""proof.py NAME=BINARY...: every untouched exercise fails fast, by its own sentence, on a busy machine.

With two busy loops running (started here, stopped by their PIDs), each untouched exercise's
check (the exercise_chNN_NAME binary, built from exercises/ as it is in git) must:
  * fail by its own assertions: a non-zero exit and doctest's summary reporting failed test cases;
  * do so within 10 s of wall time;
  * print the words exercises.toml expects of it (`expect`: its sentence about the concept);
  * show no doctest placeholder `{?}`, no macro expansion (WIFSIGNALED's `& 0x7f`...), no other
    program's backtrace (mpirun's), no watchdog verdict and no crash.
The manifest must list exactly the exercises tour_exercise() registered. Exit 1 with every
problem listed; exit 0 with one line per exercise.
"""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import exercises as manifest  # noqa: E402  (tools/exercises.py)

LIMIT = 10.0  # seconds, wall time, with both cores busy
FAILED_CASES = re.compile(r"test cases:[^\n]*\| *[1-9][0-9]* failed")
FORBIDDEN = [
    (re.compile(r"\{\?\}"), "a value doctest cannot print ({?})"),
    (re.compile(r"__extension__|__builtin_|& 0x7f|\(\(\(|0x[0-9a-f]+\) *>>"), "a macro expansion"),
    (re.compile(r"PMIx|\*\*\* Process received signal|\[ *\d+\] .*\(\+0x|^\s*#\d+ 0x[0-9a-f]+ in ", re.M),
     "a backtrace (of another program, or of the check's machinery)"),
    (re.compile(r"no answer after \d+ s"), "a watchdog's verdict instead of the check's own sentence"),
    (re.compile(r"terminate called|Segmentation fault|core dumped|SIGSEGV|SIGABRT"), "a crash"),
]


def busy_loop() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def main(argv: list[str]) -> int:
    binaries = dict(arg.split("=", 1) for arg in argv)
    exercises = manifest.load()
    problems = []
    listed = {f"{ex.chapter}_{ex.name}" for ex in exercises}
    problems += [f"{n}: built, but exercises.toml does not list it" for n in sorted(set(binaries) - listed)]
    problems += [f"{n}: listed in exercises.toml, but no tour_exercise() builds it" for n in sorted(listed - set(binaries))]

    loops = [busy_loop(), busy_loop()]
    print(f"proof: busy loops running as PIDs {' '.join(str(p.pid) for p in loops)}", flush=True)
    try:
        for ex in exercises:
            key = f"{ex.chapter}_{ex.name}"
            if key not in binaries:
                continue
            binary = Path(binaries[key])
            start = time.monotonic()
            try:
                run = subprocess.run([str(binary)], cwd=binary.parent, capture_output=True, text=True,
                                     timeout=60, errors="replace")
                out, rc = run.stdout + run.stderr, run.returncode
            except subprocess.TimeoutExpired as e:
                out, rc = (e.stdout or b"").decode(errors="replace") + (e.stderr or b"").decode(errors="replace"), None
            took = time.monotonic() - start
            mine = []
            if rc is None:
                mine.append("did not end within 60 s")
            elif rc == 0:
                mine.append("passed untouched: its check cannot tell the TODO from an answer")
            elif rc < 0:
                mine.append(f"was killed by signal {-rc}")
            if rc and not FAILED_CASES.search(out):
                mine.append("did not end with doctest's summary of failed test cases")
            if took > LIMIT:
                mine.append(f"took {took:.1f} s (more than {LIMIT:.0f} s)")
            if ex.expect not in out:
                mine.append(f"did not print its sentence {ex.expect!r}")
            for pattern, what in FORBIDDEN:
                m = pattern.search(out)
                if m:
                    mine.append(f"shows {what}: {m.group(0)!r}")
            verdict = "ok" if not mine else "PROBLEM"
            print(f"proof: {ex.chapter} {ex.name:<16} exit {rc}, {took:4.1f} s: {verdict}", flush=True)
            if mine:
                problems += [f"{ex.chapter} {ex.name}: {p}" for p in mine]
                print("---- its output ----\n" + out[-3000:] + "\n--------------------", flush=True)
    finally:
        for p in loops:
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
    for p in problems:
        print(f"proof: FAILED: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
