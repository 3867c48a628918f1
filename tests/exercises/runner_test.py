#!/usr/bin/env python3
"""runner_test.py: tools/exercises.py, in a copy of the tour's exercises (never the tree itself).

The copy is a fresh git repository holding tools/exercises.py, exercises.toml and every
chapter's exercises/ and solutions/ (what a clone has; no build). In it:
  * `exercises` lists every exercise in manifest order, at least 19, and says what is next;
  * unknown chapters and names, and extra words, exit 2 with the list;
  * `hint` shows one hint at a time, remembers it in build/ (which git ignores), then says the
    hints are used up; `--all` shows them all;
  * `reset` puts an edited exercise back as git has it, and leaves other files alone.
(`check` builds and runs checks: exercises.isolation and the exercise proof cover it.)
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
problems = []


def expect(condition: bool, what: str, output: str = "") -> None:
    if not condition:
        problems.append(what + (f"\n---- output ----\n{output}\n----" if output else ""))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tour-runner.") as tmp:
        root = Path(tmp)
        (root / "tools").mkdir()
        shutil.copy(SOURCE / "tools" / "exercises.py", root / "tools")
        shutil.copy(SOURCE / "exercises.toml", root)
        shutil.copy(SOURCE / ".gitignore", root)
        for d in SOURCE.glob("0*_*/"):
            for sub in ("exercises", "solutions"):
                if (d / sub).is_dir():
                    shutil.copytree(d / sub, root / d.name / sub)
        git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
        subprocess.run(git + ["init", "-q"], check=True)
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-qm", "the tour"], check=True)

        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([sys.executable, str(root / "tools" / "exercises.py"), *args],
                                  capture_output=True, text=True)

        import tomllib
        order = [f"{e['chapter']} {e['name']}" for e in tomllib.loads((root / "exercises.toml").read_text())["exercise"]]
        r = run("exercises")
        expect(r.returncode == 0, f"exercises exited {r.returncode}", r.stdout + r.stderr)
        positions = [r.stdout.find(f"{k.split()[0]} {k.split()[1]} ") for k in order]
        expect(len(order) >= 19, f"only {len(order)} exercises listed")
        expect(all(p >= 0 for p in positions) and positions == sorted(positions),
               "exercises does not list every exercise in manifest order", r.stdout)
        expect(f"next: {order[0]}" in r.stdout, f"a fresh copy's next exercise is not {order[0]}", r.stdout)

        for args in (["hint", "ch02", "nosuch"], ["hint", "ch09", "tally"], ["reset", "ch02", "nosuch"],
                     ["check", "ch02", "nosuch"], ["hint", "ch02", "tally", "extra"], ["exercises", "extra"],
                     ["reset", "ch02"], ["nosuch"], ["check", "ch02", ""], ["check", "ch02", "tally", "extra"],
                     ["check", ""], ["hint", "ch02", ""]):
            r = run(*args)
            expect(r.returncode == 2, f"{' '.join(args)}: exit {r.returncode}, not 2", r.stdout + r.stderr)
            expect("ch02 tally" in r.stderr, f"{' '.join(args)}: the list of exercises is not shown", r.stderr)

        tally = [e for e in tomllib.loads((root / "exercises.toml").read_text())["exercise"]
                 if e["chapter"] == "ch02" and e["name"] == "tally"][0]
        first = run("hint", "ch02", "tally")
        expect(first.returncode == 0 and "hint 1 of" in first.stdout, "the first hint is not hint 1", first.stdout)
        expect(tally["hints"][1][:30] not in first.stdout, "the first hint shows the second too", first.stdout)
        second = run("hint", "ch2", "tally")
        expect("hint 2 of" in second.stdout, "the second call does not show hint 2 (not remembered)", second.stdout)
        for _ in range(len(tally["hints"])):
            last = run("hint", "02", "tally")
        expect("seen all" in last.stdout and "solutions/tally.cpp" in last.stdout,
               "after the last hint, it does not say so and name the answer", last.stdout)
        every = run("hint", "ch02", "tally", "--all")
        expect(all(h[:30] in " ".join(every.stdout.split()) for h in tally["hints"]), "--all does not show every hint",
               every.stdout)
        # A hint read through `| head` (the pipe closed before the output is written) still counts.
        piped = subprocess.Popen([sys.executable, str(root / "tools" / "exercises.py"), "hint", "ch01", "retry"],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        piped.stdout.close()
        piped.wait()
        after = run("hint", "ch01", "retry")
        expect("hint 2 of" in after.stdout, "a hint whose output pipe was closed was not remembered", after.stdout)
        status = subprocess.run(git + ["status", "--porcelain"], capture_output=True, text=True).stdout
        expect(status.strip() == "", "the hint state is not ignored by git", status)
        listed = run("exercises").stdout
        expect(f"{len(tally['hints'])}/{len(tally['hints'])} hints seen" in listed, "the list does not show hints seen",
               listed)

        edited = root / "02_threads" / "exercises" / "tally.cpp"
        other = root / "02_threads" / "exercises" / "job_queue.cpp"
        original = edited.read_text()
        edited.write_text("my attempt\n")
        other.write_text("another attempt\n")
        r = run("reset", "ch02", "tally")
        expect(r.returncode == 0, f"reset exited {r.returncode}", r.stderr)
        expect(edited.read_text() == original, "reset did not restore tally.cpp")
        expect(other.read_text() == "another attempt\n", "reset touched another exercise's file")
    for p in problems:
        print(f"runner_test: FAILED: {p}", file=sys.stderr)
    print(f"runner_test: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
