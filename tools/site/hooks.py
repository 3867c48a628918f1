"""MkDocs hooks that turn docs/ into the tour's website (mkdocs.yml names this file).

Nothing here is a hand-written list of pages: every build looks at the files present.
- The navigation: chapters docs/NN-*.md in order, then the reference pages, then the deep dives
  docs/deep/NN-*.md grouped under the chapter NN they deepen; titles from each page's first
  heading. Previous/next follow this order.
- A home page (index.md, generated unless docs/ has one): the reading path with reading times.
- Heading anchors follow GitHub's rule (the one tests/docs/links.py checks), so a link such as
  `02-threads.md#the-model` works on GitHub and in the site alike.
- Each chapter's "Reading time: ..." line is shown at the top; a page without one gets a
  computed line.
- A link from a page to a file outside docs/ (`../01_serial/serial.cpp`, fine on GitHub) goes
  to a generated page that shows that file, highlighted; a link to a folder, to a page listing
  its files. A link to a file that exists nowhere is left alone, so MkDocs' strict mode
  reports it.
"""
import os
import posixpath
import re
import warnings

from markdown.extensions import Extension
from markdown.extensions.toc import get_name, stashedHTML2text, unescape
from markdown.treeprocessors import Treeprocessor
from mkdocs.structure.files import File

NUMBERED = re.compile(r"^(\d\d)-.*\.md$")  # a chapter in docs/, a deep dive in docs/deep/
REFERENCE_ORDER = ["cheat-sheet.md", "glossary.md", "cpp-primer.md", "map.md", "exercises.md"]
READING_TIME = re.compile(r"^[\s*_>]*Reading time:", re.IGNORECASE)
# An image in raw HTML (<img src="images/x.svg" width="600">): MkDocs rewrites only Markdown's.
RAW_IMAGE = re.compile(r"""(<(?:img|source)\b[^>]*?\bsrc=["'])(?![a-z][a-z0-9+.-]*:|/|#)""", re.IGNORECASE)
WORDS_PER_MINUTE = 200
FENCE = re.compile(r"^(```|~~~)")
# A Markdown link or image target (the same shape tests/docs/links.py reads).
LINK = re.compile(r"\]\(([^)\s]+)\)")
LANGUAGES = {".cpp": "cpp", ".hpp": "cpp", ".h": "cpp", ".c": "c", ".py": "python", ".sh": "bash",
             ".txt": "text", ".json": "json", ".cmake": "cmake", ".md": "markdown", ".yml": "yaml"}
CODE_PREFIX = "code/"  # where the pages that show files from outside docs/ live in the site

_state = {}

# Material 8.2's partials/languages/en.html writes the search separator as "[\s\-]+" in a Jinja
# string, which Jinja decodes with 'unicode-escape': Python 3.11 then warns "invalid escape
# sequence '\s'" on every build. The value is right (an unknown escape stays as it is); the
# warning is about the theme's source, not the tour's pages, so it is not shown.
warnings.filterwarnings("ignore", message=r"invalid escape sequence", category=DeprecationWarning)


def github_slug(text):
    """GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, each
    space a hyphen (no collapsing). The text is the heading's rendered text (no backticks)."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def slugify(value, separator):  # the toc extension's hook, for any heading ours has not named
    return github_slug(value)


def first_heading(path):
    fenced = False
    with open(path, encoding="utf-8") as page:
        for line in page:
            if FENCE.match(line):
                fenced = not fenced
            elif not fenced and line.startswith("# "):
                return line[2:].strip().strip("#").strip()
    return os.path.splitext(os.path.basename(path))[0]


def short_title(title):
    """'2. Threads: overlap the waiting' -> '2. Threads'; 'Deep dive: futures' -> 'futures'."""
    if title.lower().startswith("deep dive:"):
        title = title[len("deep dive:"):].strip()
        return title[:1].upper() + title[1:]
    return title.split(":", 1)[0].strip()


def plain(title):
    """A heading's text as a nav label: no backticks or emphasis marks."""
    return re.sub(r"[`*]", "", title)


def pages(docs_dir):
    """The site's pages in reading order: (chapters, references, {NN: deep dives})."""
    names = sorted(os.listdir(docs_dir))
    chapters = [n for n in names if NUMBERED.match(n) and os.path.isfile(os.path.join(docs_dir, n))]
    others = [n for n in names if n.endswith(".md") and n not in chapters and n != "index.md"
              and os.path.isfile(os.path.join(docs_dir, n))]
    references = [n for n in REFERENCE_ORDER if n in others] + [n for n in others if n not in REFERENCE_ORDER]
    deep = {}
    deep_dir = os.path.join(docs_dir, "deep")
    if os.path.isdir(deep_dir):
        for n in sorted(os.listdir(deep_dir)):
            match = NUMBERED.match(n)
            if match:
                deep.setdefault(match.group(1), []).append("deep/" + n)
    return chapters, references, deep


def reading_minutes(markdown):
    return max(1, round(len(markdown.split()) / WORDS_PER_MINUTE))


def outside_targets(docs_dir, repo_root, markdown_files):
    """Repository files outside docs/ that a page links to: {repo path: site page src_uri}."""
    found = {}
    for src_uri in markdown_files:
        fenced = False
        with open(os.path.join(docs_dir, src_uri), encoding="utf-8") as page:
            for line in page:
                if FENCE.match(line):
                    fenced = not fenced
                    continue
                if fenced or line.startswith("    "):
                    continue
                for target in LINK.findall(line):
                    path = target.split("#", 1)[0]
                    if not path or re.match(r"^[a-z]+:", path) or path.startswith("/"):
                        continue
                    repo_path = posixpath.normpath(posixpath.join("docs", posixpath.dirname(src_uri), path))
                    if repo_path.startswith("docs/") or repo_path.startswith(".."):
                        continue
                    full = os.path.join(repo_root, repo_path)
                    if os.path.isfile(full) and shown_as_text(full):
                        found[repo_path] = CODE_PREFIX + repo_path + ".md"
                    elif os.path.isdir(full) and not repo_path.split("/")[0].startswith(("build", ".")):
                        # A folder (GitHub lists it): a page listing its files, each shown too.
                        found[repo_path] = CODE_PREFIX + repo_path + "/index.md"
                        for name in sorted(os.listdir(full)):
                            if os.path.isfile(os.path.join(full, name)) and not name.startswith(".") \
                                    and shown_as_text(os.path.join(full, name)):
                                found[f"{repo_path}/{name}"] = f"{CODE_PREFIX}{repo_path}/{name}.md"
    return found


def shown_as_text(path):
    """A file small enough to show as a page and not binary."""
    if os.path.getsize(path) > 512 * 1024:
        return False
    with open(path, "rb") as f:
        return b"\0" not in f.read(8192)


class _GitHubAnchors(Treeprocessor):
    """Give every heading GitHub's anchor (duplicates -1, -2, ... as GitHub numbers them; the toc
    extension would say _1) before the toc extension runs, which keeps ids it finds."""

    def run(self, root):
        seen = {}
        for element in root.iter():
            if isinstance(element.tag, str) and re.match(r"^h[1-6]$", element.tag) and "id" not in element.attrib:
                base = github_slug(unescape(stashedHTML2text(get_name(element), self.md)))
                n = seen.get(base, 0)
                seen[base] = n + 1
                element.set("id", base if n == 0 else f"{base}-{n}")


class _OutsideLinks(Treeprocessor):
    """Point links to files outside docs/ at the generated pages that show them."""

    def run(self, root):
        targets, page_uri = _state.get("outside", {}), _state.get("page", "")
        for element in root.iter("a"):
            href = element.get("href", "")
            path, _, fragment = href.partition("#")
            if not path or re.match(r"^[a-z]+:", path) or path.startswith("/"):
                continue
            repo_path = posixpath.normpath(posixpath.join("docs", posixpath.dirname(page_uri), path))
            if repo_path in targets:
                relative = posixpath.relpath(targets[repo_path], posixpath.dirname(page_uri) or ".")
                element.set("href", relative + ("#" + fragment if fragment else ""))


class _SiteExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_GitHubAnchors(md), "github_anchors", 6)  # attr_list 8, toc 5
        md.treeprocessors.register(_OutsideLinks(md), "outside_links", 1)  # MkDocs' relpath is 0


def on_config(config):
    docs_dir = config["docs_dir"]
    chapters, references, deep = pages(docs_dir)
    titles = {}
    for name in chapters + references + [d for group in deep.values() for d in group]:
        titles[name] = first_heading(os.path.join(docs_dir, name))
    chapter_by_number = {NUMBERED.match(n).group(1): n for n in chapters}
    nav = [{"Home": "index.md"}]
    nav.append({"The tour": [{plain(short_title(titles[n])): n} for n in chapters]})
    if references:
        nav.append({"Reference": [{plain(short_title(titles[n])): n} for n in references]})
    if deep:
        groups = []
        for number in sorted(deep):
            chapter = chapter_by_number.get(number)
            label = plain(short_title(titles[chapter])) if chapter else f"Chapter {int(number)}"
            groups.append({label: [{plain(short_title(titles[d])): d} for d in deep[number]]})
        nav.append({"Deep dives": groups})
    config["nav"] = nav
    _state.update(chapters=chapters, references=references, deep=deep, titles=titles,
                  repo_root=os.path.dirname(os.path.abspath(config["config_file_path"])))
    config["mdx_configs"].setdefault("toc", {})["slugify"] = slugify
    config["markdown_extensions"].append(_SiteExtension())
    return config


def on_files(files, config):
    docs_dir = config["docs_dir"]
    repo_root = _state["repo_root"]
    generated = {}
    if files.get_file_from_path("index.md") is None:
        generated["index.md"] = home_page(config)
    markdown = [f.src_uri for f in files.documentation_pages()]
    outside = outside_targets(docs_dir, repo_root, markdown)
    _state["outside"] = outside
    for repo_path, src_uri in outside.items():
        if src_uri.endswith("/index.md"):
            generated[src_uri] = folder_page(repo_root, repo_path, outside)
        else:
            generated[src_uri] = code_page(repo_root, repo_path)
    _state["generated"] = generated
    for src_uri in generated:
        # A page with no file behind it: on_page_read_source supplies its Markdown.
        files.append(File(src_uri, os.path.join(repo_root, "build", "site-generated"), config["site_dir"],
                          config["use_directory_urls"]))
    return files


def on_page_read_source(page, config):
    return _state.get("generated", {}).get(page.file.src_uri)


def home_page(config):
    docs_dir = config["docs_dir"]
    lines = [f"# {config['site_name']}", "",
             "Concurrency in C++ for Python programmers: the same job (download a list of web pages) "
             "done serially, with threads, with processes and with an event loop, then CPU-bound "
             "work and MPI. Read the chapters in order; the reference pages and the deep dives "
             "are in the menu.", "", "## The chapters", "",
             "| chapter | reading time |", "|---|---|"]
    for name in _state["chapters"]:
        with open(os.path.join(docs_dir, name), encoding="utf-8") as page:
            text = page.read()
        stated = re.search(r"Reading time: about ([^;.,()]*?) minutes?", text)
        minutes = stated.group(1).strip() if stated else str(reading_minutes(text))
        lines.append(f"| [{_state['titles'][name]}]({name}) | about {minutes} min |")
    if _state["references"]:
        lines += ["", "## Reference", ""]
        lines += [f"- [{_state['titles'][n]}]({n})" for n in _state["references"]]
    if _state["deep"]:
        lines += ["", "## Deep dives", "", "Each deepens a section of its chapter, which links to it.", ""]
        for number, group in sorted(_state["deep"].items()):
            lines += [f"- [{_state['titles'][d]}]({d})" for d in group]
    lines += ["", f"[Start with {plain(short_title(_state['titles'][_state['chapters'][0]]))}]"
              f"({_state['chapters'][0]})", ""] if _state["chapters"] else []
    return "\n".join(lines)


def code_page(repo_root, repo_path):
    with open(os.path.join(repo_root, repo_path), encoding="utf-8", errors="replace") as source:
        text = source.read()
    fence = "````" if "```" in text else "```"
    language = LANGUAGES.get(os.path.splitext(repo_path)[1], "text")
    return (f"# {repo_path}\n\nThe file `{repo_path}` of the tour, as a page of this site.\n\n"
            f"{fence}{language}\n{text.rstrip()}\n{fence}\n")


def folder_page(repo_root, repo_path, outside):
    lines = [f"# {repo_path}/", "", f"The folder `{repo_path}/` of the tour:", ""]
    for name in sorted(os.listdir(os.path.join(repo_root, repo_path))):
        if name.startswith("."):
            continue
        if f"{repo_path}/{name}" in outside:
            lines.append(f"- [{name}]({name}.md)")
        else:
            lines.append(f"- `{name}{'/' if os.path.isdir(os.path.join(repo_root, repo_path, name)) else ''}`")
    return "\n".join(lines) + "\n"


def on_page_markdown(markdown, page, config, files):
    src_uri = page.file.src_uri
    is_chapter = src_uri in _state.get("chapters", [])
    is_deep = src_uri.startswith("deep/")
    if is_chapter or is_deep:
        lines = markdown.split("\n")
        title = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
        section = next((i for i, line in enumerate(lines) if line.startswith("## ")), len(lines))
        stated = next((i for i, line in enumerate(lines[:section]) if READING_TIME.match(line)), None)
        if stated is None:
            minutes = reading_minutes(markdown)
            lines.insert(title + 1, "")
            lines.insert(title + 2, f"Reading time: about {minutes} minute{'s' if minutes != 1 else ''} "
                                    f"(computed: {len(markdown.split())} words).")
            stated = title + 2
        # The line is a paragraph of its own (or the first line of one): mark it for the style sheet.
        end = stated
        while end + 1 < len(lines) and lines[end + 1].strip():
            end += 1
        lines.insert(end + 1, "{: .reading-time }")
        markdown = "\n".join(lines)
    if config["use_directory_urls"] and page.file.name != "index":
        # The page is built one folder deeper (01-serial.md -> 01-serial/index.html).
        lines, fenced = markdown.split("\n"), False
        for i, line in enumerate(lines):
            if FENCE.match(line):
                fenced = not fenced
            elif not fenced and not line.startswith("    "):
                lines[i] = RAW_IMAGE.sub(lambda m: m.group(1) + "../", line)
        markdown = "\n".join(lines)
    return markdown


def on_pre_page(page, config, files):
    _state["page"] = page.file.src_uri  # the outside-link rewriting needs the page's place
    return page
