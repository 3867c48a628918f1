#!/usr/bin/env python3
"""The exercises, the rustlings way: one ordered list (exercises.toml), a hint at a time, reset, check.

    ./tour.sh exercises               every exercise in order, with its goal and its state
    ./tour.sh hint ch02 tally         the next hint for that exercise (--all: every hint)
    ./tour.sh reset ch02 tally        put the exercise's files back as git has them
    ./tour.sh check ch02 [tally]      build and check a chapter's exercises (or one); says what next

State (which hints you have seen, what the last check said) is kept in build/exercises-state.json,
which git ignores. Bad usage or an unknown exercise: a message, the list, exit status 2.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "exercises.toml"
BUILD = ROOT / "build"
STATE = BUILD / "exercises-state.json"


@dataclass
class Exercise:
    chapter: str  # "ch02"
    name: str  # "tally"
    title: str
    goal: str
    section: str
    expect: str  # a sentence the untouched check prints (the proof looks for it)
    hints: list[str]
    directory: str = ""  # "02_threads"
    files: list[str] = field(default_factory=list)  # what reset restores, relative to the tour

    @property
    def key(self) -> str:
        return f"{self.chapter} {self.name}"

    @property
    def target(self) -> str:
        return f"exercise_{self.chapter}_{self.name}"

    @property
    def answer(self) -> str:
        return f"{self.directory}/solutions/{self.name}.cpp"


class Usage(Exception):
    """Bad usage: the message is printed, then the list, and the exit status is 2."""


def load(manifest: Path = MANIFEST) -> list[Exercise]:
    with open(manifest, "rb") as f:
        data = tomllib.load(f)
    exercises = []
    for i, entry in enumerate(data.get("exercise", []), 1):
        missing = [k for k in ("chapter", "name", "title", "goal", "section", "expect", "hints") if k not in entry]
        if missing:
            raise SystemExit(f"{manifest}: exercise {i}: missing {', '.join(missing)}")
        ex = Exercise(**{k: entry[k] for k in ("chapter", "name", "title", "goal", "section", "expect", "hints")})
        dirs = sorted(ROOT.glob(ex.chapter[2:] + "_*/exercises"))
        if not dirs:
            raise SystemExit(f"{manifest}: exercise {i} ({ex.key}): no {ex.chapter[2:]}_*/exercises directory")
        ex.directory = dirs[0].parent.name
        base = dirs[0] / ex.name
        ex.files = [str(p.relative_to(ROOT)) for p in (base.with_suffix(".cpp"), base.with_suffix(".hpp"),
                                                        Path(f"{base}_driver.cpp"), Path(f"{base}_check.cpp"))
                    if p.exists()]
        exercises.append(ex)
    return exercises


def read_state() -> dict:
    try:
        return json.loads(STATE.read_text())
    except (OSError, ValueError):
        return {}


def write_state(state: dict) -> None:
    BUILD.mkdir(exist_ok=True)
    tmp = STATE.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n")
    tmp.replace(STATE)


def listing(exercises: list[Exercise]) -> str:
    return "\n".join(f"  {ex.chapter} {ex.name:<16} {ex.goal}" for ex in exercises)


def chapter_of(word: str, exercises: list[Exercise]) -> str:
    m = re.fullmatch(r"(?:ch)?0?([1-9])", word)
    chapter = f"ch0{m.group(1)}" if m else None
    if chapter not in {ex.chapter for ex in exercises}:
        raise Usage(f"no chapter '{word}' has exercises (chapters: "
                    f"{', '.join(sorted({ex.chapter for ex in exercises}))})")
    return chapter


def find(exercises: list[Exercise], chapter_word: str, name: str) -> Exercise:
    chapter = chapter_of(chapter_word, exercises)
    for ex in exercises:
        if ex.chapter == chapter and ex.name == name:
            return ex
    names = " ".join(ex.name for ex in exercises if ex.chapter == chapter)
    raise Usage(f"{chapter} has no exercise '{name}' (it has: {names})")


def state_word(status: str | None) -> str:
    return {"solved": "solved", "unsolved": "not solved", "broken": "does not compile"}.get(status or "", "not checked")


def next_unsolved(exercises: list[Exercise], status: dict) -> str:
    for ex in exercises:
        if status.get(ex.key) != "solved":
            return f"next: {ex.key}   ({ex.goal})"
    return "next: nothing left: every exercise is solved"


# --- the commands -------------------------------------------------------------------------------

def cmd_list(exercises: list[Exercise], args: list[str]) -> int:
    if args == ["--markdown"]:  # for the maintainers: docs/exercises.md's list, from the manifest
        write_docs_block(exercises)
        print(f"{DOCS.relative_to(ROOT)}: the list of {len(exercises)} exercises rewritten from exercises.toml")
        return 0
    if args:
        raise Usage(f"'exercises' takes no arguments (got: {' '.join(args)})")
    state = read_state()
    status, hints = state.get("status", {}), state.get("hints", {})
    print(f"{len(exercises)} exercises, in order (state from your last ./tour.sh check):\n")
    for i, ex in enumerate(exercises, 1):
        seen = hints.get(ex.key, 0)
        hint_note = f", {seen}/{len(ex.hints)} hints seen" if seen else ""
        print(f"{i:3}. {ex.chapter} {ex.name:<16} [{state_word(status.get(ex.key))}{hint_note}]")
        print(f"     {ex.goal}")
        print(f"     practises: {ex.section}; edit: {ex.files[0] if ex.files else '?'}")
    print("\n" + next_unsolved(exercises, status))
    print("Check: ./tour.sh check chNN [NAME]   A hint: ./tour.sh hint chNN NAME   Start over: ./tour.sh reset chNN NAME")
    return 0


def wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=96, initial_indent=indent, subsequent_indent=indent)


def cmd_hint(exercises: list[Exercise], args: list[str]) -> int:
    show_all = "--all" in args
    words = [a for a in args if a != "--all"]
    if len(words) != 2:
        raise Usage("usage: ./tour.sh hint chNN NAME [--all]")
    ex = find(exercises, *words)
    state = read_state()
    hints = state.setdefault("hints", {})
    seen = hints.get(ex.key, 0)
    total = len(ex.hints)
    lines = []
    if show_all:
        lines.append(f"{ex.key}: {ex.title} (all {total} hints)")
        for i, hint in enumerate(ex.hints, 1):
            lines.append(f"\n{i}.\n{wrap(hint)}")
        hints[ex.key] = total
    elif seen >= total:
        lines.append(f"{ex.key}: you have seen all {total} hints (./tour.sh hint {ex.key} --all shows them again).")
        lines.append(f"The worked answer: {ex.answer}")
    else:
        lines.append(f"{ex.key}, hint {seen + 1} of {total}:\n\n{wrap(ex.hints[seen])}\n")
        hints[ex.key] = seen + 1
        if seen + 1 < total:
            lines.append(f"Try it, then: ./tour.sh check {ex.key}. The next hint: ./tour.sh hint {ex.key}")
        else:
            lines.append(f"That was the last hint. The worked answer, if you need it: {ex.answer}")
    write_state(state)  # before printing: a reader who pipes it into `head` has still seen this hint
    print("\n".join(lines))
    return 0


def cmd_reset(exercises: list[Exercise], args: list[str]) -> int:
    if len(args) != 2:
        raise Usage("usage: ./tour.sh reset chNN NAME")
    ex = find(exercises, *args)
    if not (ROOT / ".git").exists():
        print("tour.sh: reset needs the tour's git history (a clone, not a copy of the files)", file=sys.stderr)
        return 2
    run = subprocess.run(["git", "-C", str(ROOT), "checkout", "HEAD", "--", *ex.files], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"tour.sh: git could not restore {' '.join(ex.files)}:\n{run.stderr}", file=sys.stderr)
        return 1
    state = read_state()
    state.get("status", {}).pop(ex.key, None)
    write_state(state)
    print(f"{ex.key}: restored as the last commit has them: {' '.join(ex.files)}")
    return 0


DIAGNOSTIC = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?:\d+:)? (?P<kind>(?:fatal )?error|warning|note): ")


def learner_diagnostics(output: str, ex: Exercise) -> list[str]:
    """The compiler's messages about this exercise's own files, paths relative to the tour: each
    diagnostic line with the source and caret lines under it, and the "In function" lines above."""
    mine = tuple(str(ROOT / f) for f in ex.files) + tuple(ex.files)
    shown: list[str] = []
    keep = False
    pending: list[str] = []
    for raw in output.splitlines():
        line = re.sub(r"^(\.\./)+", "", raw.replace(str(ROOT) + "/", ""))  # ninja runs in build/
        m = DIAGNOSTIC.match(raw)
        if m:
            keep = m.group("path").startswith(mine) or m.group("path").endswith(tuple("/" + f for f in ex.files))
            if keep:
                shown.extend(pending)
                shown.append(line)
            pending = []
        elif re.match(r"^\s+\d* *\|", raw) or re.match(r"^\s+\|", raw):
            if keep:
                shown.append(line)
        elif re.match(r"^[^\s:][^:]*: (In|At) ", raw) or raw.startswith("In file included from") or raw.startswith("                 from "):
            pending = pending + [line] if raw.startswith("                 from ") else [line]
            keep = False
        elif "undefined reference to" in raw:
            shown.append(line)
            keep = False
        else:
            keep = False
    return shown


def configure(jobs: str) -> None:
    if (BUILD / "build.ninja").exists():
        # re-runs CMake only if a CMakeLists.txt changed
        subprocess.run(["cmake", "--build", str(BUILD), "--target", "build.ninja"], stdout=subprocess.DEVNULL, check=True)
    else:
        print("tour.sh: configuring build/ (once)", file=sys.stderr)
        subprocess.run(["cmake", "--preset", "default"], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)


def cmd_check(exercises: list[Exercise], args: list[str]) -> int:
    if not 1 <= len(args) <= 2:
        raise Usage("usage: ./tour.sh check chNN [NAME]")
    chapter = chapter_of(args[0], exercises)
    chosen = [find(exercises, chapter, args[1])] if len(args) == 2 else [ex for ex in exercises if ex.chapter == chapter]
    jobs = str(os.cpu_count() or 2)
    configure(jobs)

    # Build each exercise on its own: its own exit status and its own compiler output, so a broken
    # one is reported with its file:line and the others still build.
    built: list[Exercise] = []
    verdict: dict[str, str] = {}
    for ex in chosen:
        print(f"tour.sh: building {ex.key} ...", file=sys.stderr, flush=True)
        run = subprocess.run(["cmake", "--build", str(BUILD), "-j", jobs, "--target", ex.target],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        messages = learner_diagnostics(run.stdout, ex)
        if run.returncode != 0:
            verdict[ex.key] = "broken"
            print(f"\n=== {ex.key} does not compile:", file=sys.stderr)
            if not messages:  # not in the exercise's files: show the first errors there are
                messages = [l.replace(str(ROOT) + "/", "") for l in run.stdout.splitlines()
                            if re.search(r": (fatal )?error: |undefined reference|^FAILED: ", l)][:8]
            print("\n".join(messages[:40]) or "(no compiler message found: a library it needs did not build)",
                  file=sys.stderr)
            log = BUILD / f"{ex.target}.log"
            log.write_text(run.stdout)
            print(f"(the whole build output: {log.relative_to(ROOT)})", file=sys.stderr)
        else:
            if messages:
                print(f"\n=== {ex.key}: the compiler warns about your code:", file=sys.stderr)
                print("\n".join(messages[:40]), file=sys.stderr)
            built.append(ex)

    if built:
        junit = BUILD / "exercises-check.xml"
        junit.unlink(missing_ok=True)
        names = "|".join(f"{ex.chapter}_{ex.name}" for ex in built)
        subprocess.run(["ctest", "--test-dir", str(BUILD), "-L", "^exercise$", "-R", f"^exercise\\.({names})$",
                        "--output-junit", str(junit), "-j", jobs], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results = {}
        try:
            for case in ET.parse(junit).getroot().iter("testcase"):
                results[case.get("name", "")] = case
        except (OSError, ET.ParseError):
            pass
        for ex in built:
            case = results.get(f"exercise.{ex.chapter}_{ex.name}")
            if case is None:
                verdict[ex.key] = "unsolved"
                print(f"\n=== {ex.key}: its check did not run (ctest found no test exercise.{ex.chapter}_{ex.name})",
                      file=sys.stderr)
                continue
            passed = case.get("status") == "run" and case.find("failure") is None
            verdict[ex.key] = "solved" if passed else "unsolved"
            if not passed:
                out = case.findtext("system-out") or ""
                print(f"\n=== {ex.key}: not solved yet. Its check says:\n", file=sys.stderr)
                print(out.replace(str(ROOT) + "/", "").rstrip(), file=sys.stderr)

    state = read_state()
    status = state.setdefault("status", {})
    status.update(verdict)
    write_state(state)
    print(file=sys.stderr)
    for ex in chosen:
        word = {"solved": "solved", "unsolved": "not solved yet (its check's words are above)",
                "broken": "does not compile (see above)"}[verdict[ex.key]]
        hint = "" if verdict[ex.key] == "solved" else f"   a hint: ./tour.sh hint {ex.key}"
        print(f"  {ex.key}: {word}{hint}", file=sys.stderr)
    print(next_unsolved(exercises, status))
    return 0 if all(verdict[ex.key] == "solved" for ex in chosen) else 1


DOCS = ROOT / "docs" / "exercises.md"
BEGIN, END = "<!-- exercises.toml: begin (./tour.sh exercises --markdown writes it) -->", "<!-- exercises.toml: end -->"


def markdown(exercises: list[Exercise]) -> str:
    """The ordered list for docs/exercises.md, from the manifest."""
    rows = ["| # | exercise | goal | practises | edit |", "|---|---|---|---|---|"]
    for i, ex in enumerate(exercises, 1):
        rows.append(f"| {i} | `{ex.chapter} {ex.name}` | {ex.goal} | {ex.section.replace('docs/', '')} | "
                    f"`{ex.files[0] if ex.files else ''}` |")
    return "\n".join(rows)


def docs_block_is_current(exercises: list[Exercise]) -> bool:
    text = DOCS.read_text() if DOCS.exists() else ""
    return f"{BEGIN}\n{markdown(exercises)}\n{END}" in text


def write_docs_block(exercises: list[Exercise]) -> None:
    text = DOCS.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    DOCS.write_text(text[:start] + f"{BEGIN}\n{markdown(exercises)}\n{END}" + text[end:])


def cmd_validate(exercises: list[Exercise], args: list[str]) -> int:
    """For the test suite: the manifest against the exercises CMake registers (tour_exercise)."""
    registered = set(args)
    listed = {f"{ex.chapter}_{ex.name}" for ex in exercises}
    problems = []
    if len(listed) != len(exercises):
        problems.append("an exercise is listed twice")
    for ex in exercises:
        if not ex.hints or not ex.goal or not ex.expect:
            problems.append(f"{ex.key}: needs a goal, a sentence to expect and at least one hint")
        if not (ROOT / ex.answer).exists():
            problems.append(f"{ex.key}: no worked answer {ex.answer}")
        if f"{ex.directory}/exercises/{ex.name}.cpp" not in ex.files:
            problems.append(f"{ex.key}: no {ex.directory}/exercises/{ex.name}.cpp")
    problems += [f"{n}: tour_exercise() registers it, exercises.toml does not list it" for n in sorted(registered - listed)]
    problems += [f"{n}: exercises.toml lists it, no tour_exercise() registers it" for n in sorted(listed - registered)]
    if not docs_block_is_current(exercises):
        problems.append("docs/exercises.md's list is not the manifest's: run ./tour.sh exercises --markdown")
    order = [ex.chapter for ex in exercises]
    if order != sorted(order):
        problems.append("exercises.toml is not in chapter order")
    for p in problems:
        print(f"exercises.toml: {p}", file=sys.stderr)
    print(f"{len(exercises)} exercises listed, {len(registered)} registered, {len(problems)} problems")
    return 1 if problems else 0


COMMANDS = {"list": cmd_list, "exercises": cmd_list, "hint": cmd_hint, "reset": cmd_reset, "check": cmd_check,
            "validate": cmd_validate}


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the output quietly, as for any command
    exercises = load()
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    command, args = argv[0], argv[1:]
    try:
        if command not in COMMANDS:
            raise Usage(f"unknown command '{command}' (commands: exercises, hint, reset, check)")
        return COMMANDS[command](exercises, args)
    except Usage as bad:
        print(f"tour.sh: {bad}", file=sys.stderr)
        print(f"The exercises:\n{listing(exercises)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
