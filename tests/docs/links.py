#!/usr/bin/env python3
"""Check the relative links of Markdown pages: every linked file exists, and every #anchor
names a heading of the page it points to (GitHub's rule: lower case, punctuation dropped,
spaces to hyphens).

usage: links.py ROOT PAGE.md...   (pages relative to ROOT; a pattern such as 'docs/*.md' is
       expanded here, so the build need not list the pages: a new page is checked at once)

Links to http(s) addresses are not followed (no test touches the internet). Prints every
broken link with its page and line; exit status 1 if there is one. Standard library only.

Deep dives (docs/deep/*.md among the pages) must also be reachable from the main path: each
must be the target of a link in some chapter, docs/0*.md (also checked here, so pass those
too), and must open with its title line "# Deep dive: ..." and, on the first non-blank line
after it, "Deepens [chapter N: ...](../0N-....md#anchor)". A deep page no chapter links to is
reported as "not linked from any chapter".
"""
import glob
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


DEEP = re.compile(r"^docs/deep/[^/]+\.md$")
CHAPTER = re.compile(r"^docs/0[^/]*\.md$")


def deep_page_problems(root, page):
    with open(os.path.join(root, page), encoding="utf-8") as text:
        lines = [line.rstrip("\n") for line in text]
    problems = []
    if not lines or not lines[0].startswith("# Deep dive: "):
        problems.append(f"{page}:1: a deep page's first line is its title, '# Deep dive: ...'")
    rest = [line for line in lines[1:] if line.strip()]
    if not rest or not re.match(r"^Deepens \[[Cc]hapter \d[^\]]*\]\(\.\./0\d-[^)#]+\.md(#[^)]+)?\)", rest[0]):
        problems.append(f"{page}: the line after the title must be 'Deepens [chapter N: Section](../0N-....md#anchor).'")
    return problems


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, broken, checked = sys.argv[1], [], 0
    linked_from_chapters = set()  # normalised paths that a chapter links to
    pages = []
    for pattern in sys.argv[2:]:
        matched = sorted(glob.glob(pattern, root_dir=root))
        if not matched:
            print(f"{pattern}: no such page under {root}", file=sys.stderr)
            return 1
        pages += matched
    for page in pages:
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
            if CHAPTER.match(page):
                linked_from_chapters.add(target_path)
            if not os.path.exists(target_path):
                broken.append(f"{page}:{number}: {target}: no such file")
            elif anchor and target_path.endswith(".md") and anchor not in anchors(target_path):
                broken.append(f"{page}:{number}: {target}: no heading with anchor #{anchor}")
    deep = [page for page in pages if DEEP.match(page)]
    if deep and not any(CHAPTER.match(page) for page in pages):
        broken.append("deep pages were given but no chapter (docs/0*.md) to link them")
    for page in deep:
        broken += deep_page_problems(root, page)
        if os.path.normpath(os.path.join(root, page)) not in linked_from_chapters:
            broken.append(f"{page}: not linked from any chapter (docs/0*.md)")
    for line in broken:
        print(line)
    print(f"{checked} relative links checked, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
