#!/usr/bin/env python3
"""The main path's word budget: each chapter docs/0[0-7]-*.md at most 3,500 words, the eight
together at most 20,000 (about 100 minutes of reading). Words are counted as `wc -w` counts
them: runs of bytes between ASCII white space (code blocks and tables included).

usage: word_budget.py ROOT
Prints every chapter's count beside its own target (the targets are the plan's, shown for the
writer; only the two limits above fail the test); exit status 1 if a limit is exceeded or a
chapter is missing.
"""
import glob
import os
import sys

PER_CHAPTER_LIMIT = 3500
TOTAL_LIMIT = 20000
TARGETS = {"00": 1400, "01": 2000, "02": 3200, "03": 2600, "04": 3200, "05": 2700, "06": 2400, "07": 2000}


def words(path):
    with open(path, "rb") as page:
        return len(page.read().split())  # bytes.split(): ASCII white space, as wc -w in the C locale


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    failures, total = [], 0
    for number, target in TARGETS.items():
        found = sorted(glob.glob(f"docs/{number}-*.md", root_dir=root))
        if len(found) != 1:
            failures.append(f"docs/{number}-*.md: expected one chapter, found {len(found)}")
            continue
        count = words(os.path.join(root, found[0]))
        total += count
        note = "" if count <= target else f" (over its target of {target:,})"
        print(f"{found[0]}: {count:,} words{note}")
        if count > PER_CHAPTER_LIMIT:
            failures.append(f"{found[0]}: {count:,} words, more than {PER_CHAPTER_LIMIT:,} for one chapter")
    print(f"all chapters: {total:,} words (limit {TOTAL_LIMIT:,})")
    if total > TOTAL_LIMIT:
        failures.append(f"the chapters together: {total:,} words, more than {TOTAL_LIMIT:,}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
