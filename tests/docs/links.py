#!/usr/bin/env python3
"""Check the relative links of Markdown pages: every linked file exists, and every #anchor
names a heading of the page it points to (GitHub's rule: lower case, punctuation dropped,
spaces to hyphens).

usage: links.py ROOT PAGE.md...   (pages relative to ROOT)

Links to http(s) addresses are not followed (no test touches the internet). Prints every
broken link with its page and line; exit status 1 if there is one. Standard library only.
"""
import os
import re
import sys

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def slug(heading):
    text = re.sub(r"[`*_]|<[^>]+>", lambda m: "_" if m.group(0) == "_" else "", heading)
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    found, seen, fenced = set(), {}, False
    with open(path, encoding="utf-8") as page:
        for line in page:
            if line.startswith("```"):
                fenced = not fenced
                continue
            match = None if fenced else HEADING.match(line)
            if match:
                base = slug(match.group(2))
                n = seen.get(base, 0)
                seen[base] = n + 1
                found.add(base if n == 0 else f"{base}-{n}")
    return found


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, broken, checked = sys.argv[1], [], 0
    for page in sys.argv[2:]:
        path = os.path.join(root, page)
        with open(path, encoding="utf-8") as text:
            lines = text.read().split("\n")
        fenced = False
        for i, line in enumerate(lines):  # code blocks hold no links: blank them, keep the numbering
            if line.startswith("```"):
                fenced = not fenced
                lines[i] = ""
            elif fenced or line.startswith("    "):
                lines[i] = ""
        text = "\n".join(lines)
        for match in LINK.finditer(text):  # a link's text may run over several lines
            target = match.group(1) or match.group(2)
            if re.match(r"^[a-z]+:", target):
                continue
            checked += 1
            number = text.count("\n", 0, match.start(0)) + 1
            file_part, _, anchor = target.partition("#")
            target_path = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            if not os.path.exists(target_path):
                broken.append(f"{page}:{number}: {target}: no such file")
            elif anchor and target_path.endswith(".md") and anchor not in anchors(target_path):
                broken.append(f"{page}:{number}: {target}: no heading with anchor #{anchor}")
    for line in broken:
        print(line)
    print(f"{checked} relative links checked, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
