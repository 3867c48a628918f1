#!/usr/bin/env python3
"""Test the tour's website (mkdocs.yml, tools/site/): build it in strict mode and check it.

usage: site_test.py navigation REPO WORK   the navigation and anchors, on a copy of docs/ with
                                           made-up deep dives and a link to a file outside docs/
       site_test.py browser REPO WORK      the real docs/: every page opened in headless Chromium

navigation: builds a copy of the site's sources with three made-up deep dives (chapters 2 and 5)
and checks the sidebar's order (chapters, reference pages, deep dives under their chapter),
previous/next, GitHub's anchors (punctuation, backticks, a repeated heading), a computed reading
time, a link to a file outside docs/ (shown as a page), and that a broken link fails the build.

browser: builds docs/ as it is and checks every built page: its title, every in-site link and
image (the file exists; an #anchor names an element of that page), no resource from another
host (HTML, CSS, SVG), every heading anchor links.py (GitHub's rule) computes exists, each
chapter's reading time, the search index holds every chapter. Then it serves the site on
127.0.0.1 and opens each page in headless Chromium, whose DNS resolves nothing but 127.0.0.1:
every request the page makes goes to 127.0.0.1 (Chromium's net log), none is answered with an
error (the server's log), the copy button is on the code, and a screenshot of a chapter is not
blank. Standard library only; prints each failure; exit status 1 if there is one.
"""
import html
import html.parser
import importlib.util
import json
import os
import posixpath
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse

failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(config, site):
    """mkdocs build --strict; returns (exit status, output). A warning of any kind is a failure."""
    if shutil.which("mkdocs") is None:
        return 1, "mkdocs not found: apt-get install mkdocs mkdocs-material (./tour.sh docs installs them)", []
    run = subprocess.run(["mkdocs", "build", "--strict", "-f", config, "-d", site],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    noisy = [line for line in run.stdout.splitlines() if re.search(r"WARNING|Warning|Error|Traceback", line)]
    return run.returncode, run.stdout, noisy


class Page(html.parser.HTMLParser):
    """What the checks need from one built page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.h1, self.ids = "", "", set()
        self.links, self.resources, self.nav, self.rel = [], [], [], {}
        self.reading_time = None
        self._in, self._primary_depth = None, 0  # nesting depth inside the sidebar's <nav>
        self.inline_styles = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "title":
            self._in = "title"
        elif tag == "h1" and not self.h1:
            self._in = "h1"
        if tag == "nav" and (self._primary_depth or "md-nav--primary" in a.get("class", "").split()):
            self._primary_depth += 1
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
            if self._primary_depth and "md-nav__link" in a.get("class", "").split():
                self.nav.append(a["href"])
            if a.get("rel") in ("prev", "next"):
                self.rel[a["rel"]] = a["href"]
        for key in ("src", "data", "poster", "srcset"):
            if a.get(key) and tag != "a":
                self.resources.append((tag, a[key]))
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical", "alternate", "prev", "next"):
            self.resources.append((tag, a["href"]))
        if a.get("style"):
            self.inline_styles.append(a["style"])
        if tag == "p" and "reading-time" in a.get("class", "").split():
            self._in = "reading_time"
            self.reading_time = ""

    def handle_endtag(self, tag):
        if tag in ("title", "h1", "p"):
            self._in = None
        if tag == "nav" and self._primary_depth:
            self._primary_depth -= 1

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data
        elif self._in == "reading_time":
            self.reading_time += data


def parse(path):
    page = Page()
    with open(path, encoding="utf-8") as f:
        page.feed(f.read())
    page.h1 = page.h1.replace("\u00b6", "").strip()  # the permalink sign
    return page


def built_pages(site):
    """{URL path of the page ('' for the home page, '02-threads/'): file}"""
    found = {}
    for folder, dirs, files in os.walk(site):
        rel = os.path.relpath(folder, site).replace(os.sep, "/")
        if rel.split("/")[0] in ("assets", "search"):
            continue
        for name in files:
            if name.endswith(".html"):
                folder_url = "" if rel == "." else rel + "/"
                found[folder_url + ("" if name == "index.html" else name)] = os.path.join(folder, name)
    return found


def target_url(page_url, href):
    """The site path (like page URLs: '02-threads/', '' for home) an href of page_url names, and
    its fragment."""
    path, _, fragment = href.partition("#")
    path = urllib.parse.unquote(path.split("?", 1)[0])
    if not path:
        return page_url, fragment
    folder = "/" + page_url if page_url.endswith("/") or not page_url else posixpath.dirname("/" + page_url) + "/"
    target = posixpath.normpath(posixpath.join(folder, path)).lstrip("/")
    if target == ".":
        target = ""
    if path.endswith("/") and target:
        target += "/"
    return target, fragment


def resolve(site, page_url, href):
    """The site file an in-site href of the page at page_url names, and its fragment."""
    target, fragment = target_url(page_url, href)
    file = os.path.join(site, target)
    if target == "" or target.endswith("/") or os.path.isdir(file):
        file = os.path.join(file, "index.html")
    return file, fragment


OFFSITE = re.compile(r"^(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)|url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)


def check_css(text, where):
    for match in CSS_URL.finditer(text):
        url = match.group(1) or match.group(2)
        if OFFSITE.match(url):
            fail(f"{where}: loads {url} from another host")


def check_site(site, chapters=None):
    """Static checks of every built page; returns {url: Page}."""
    files = built_pages(site)
    pages = {url: parse(file) for url, file in files.items()}
    by_file = {os.path.abspath(file): url for url, file in files.items()}
    for url, page in pages.items():
        where = url or "(home page)"
        if not page.title.strip():
            fail(f"{where}: no <title>")
        if url != "404.html" and not page.h1:
            fail(f"{where}: no <h1>")
        for href in page.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE) or href.startswith("//"):
                continue  # a link the reader clicks to leave the site
            file, fragment = resolve(site, url, href)
            if not os.path.isfile(file):
                fail(f"{where}: link {href}: no file {os.path.relpath(file, site)}")
            elif fragment and file.endswith(".html"):
                target = pages.get(by_file.get(os.path.abspath(file)))
                if target is not None and fragment not in target.ids:
                    fail(f"{where}: link {href}: no element with id {fragment!r} there")
        for tag, src in page.resources:
            if OFFSITE.match(src):
                fail(f"{where}: <{tag}> loads {src} from another host")
            elif not src.startswith("data:"):
                file, _ = resolve(site, url, src)
                if not os.path.isfile(file):
                    fail(f"{where}: <{tag}> {src}: no file {os.path.relpath(file, site)}")
        for style in page.inline_styles:
            check_css(style, f"{where} (style attribute)")
    for folder, _, files in os.walk(site):
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(".css"):
                check_css(open(path, encoding="utf-8", errors="replace").read(), os.path.relpath(path, site))
            elif name.endswith(".svg"):
                text = open(path, encoding="utf-8", errors="replace").read()
                check_css(text, os.path.relpath(path, site))
                for ref in re.findall(r"""(?:href|src)\s*=\s*['"]([^'"]+)""", text):
                    if OFFSITE.match(ref):
                        fail(f"{os.path.relpath(path, site)}: refers to {ref}")
    return pages


def chapters_of(docs):
    return sorted(n for n in os.listdir(docs) if re.match(r"^\d\d-.*\.md$", n))


def page_url(src):
    return src[:-len(".md")] + "/"


def check_anchors(docs, pages, links):
    """Every heading anchor GitHub gives a page (links.py's rule) is an id of the built page."""
    for folder, _, files in os.walk(docs):
        for name in files:
            if not name.endswith(".md"):
                continue
            src = os.path.relpath(os.path.join(folder, name), docs).replace(os.sep, "/")
            page = pages.get("" if src == "index.md" else page_url(src))
            if page is None:
                fail(f"docs/{src}: no page built")
                continue
            missing = sorted(links.anchors(os.path.join(folder, name)) - page.ids)
            if missing:
                fail(f"docs/{src}: GitHub anchors missing from the built page: {missing[:8]}")


def expected_order(docs):
    chapters = chapters_of(docs)
    names = sorted(os.listdir(docs))
    others = [n for n in names if n.endswith(".md") and n not in chapters and n != "index.md"]
    order = ["cheat-sheet.md", "glossary.md", "cpp-primer.md", "map.md", "exercises.md"]
    references = [n for n in order if n in others] + [n for n in others if n not in order]
    deep_dir = os.path.join(docs, "deep")
    deep = sorted("deep/" + n for n in os.listdir(deep_dir) if re.match(r"^\d\d-.*\.md$", n)) \
        if os.path.isdir(deep_dir) else []
    return [page_url(n) for n in chapters + references + deep]


def check_navigation(docs, pages):
    """The sidebar lists every page in reading order, and previous/next follow it."""
    order = expected_order(docs)
    home = pages[""]
    listed = []
    for href in home.nav:
        target, _ = target_url("", href)
        if target not in listed:
            listed.append(target)
    if listed[1:] != order or listed[:1] != [""]:
        fail(f"sidebar order {listed} is not the reading order {[''] + order}")
    sequence = [""] + order
    for before, after in zip(sequence, sequence[1:]):
        got = pages[before].rel.get("next") if before in pages else None
        if got is None or target_url(before, got)[0] != after:
            fail(f"{before or '(home page)'}: next is {got}, not {after}")
        got = pages[after].rel.get("prev") if after in pages else None
        if got is None or target_url(after, got)[0] != before:
            fail(f"{after}: previous is {got}, not {before or '(home page)'}")
    return order


def first_heading(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# "):
                return re.sub(r"[`*]", "", line[2:].strip())
    return None


def check_titles_and_reading_time(docs, pages):
    deep = os.path.join(docs, "deep")
    deep_pages = [f"deep/{n}" for n in sorted(os.listdir(deep)) if n.endswith(".md")] if os.path.isdir(deep) else []
    for name in chapters_of(docs) + deep_pages:
        page = pages.get(page_url(name))
        if page is None:
            fail(f"docs/{name}: no page built")
            continue
        heading = first_heading(os.path.join(docs, name))
        if page.h1 != heading:
            fail(f"{page_url(name)}: <h1> {page.h1!r}, the Markdown's title is {heading!r}")
        if not page.title.strip():
            fail(f"{page_url(name)}: empty <title>")
        if page.reading_time is None or not re.match(r"Reading time: about \d[^.;]* minutes?", page.reading_time.strip()):
            fail(f"{page_url(name)}: no 'Reading time: about N minutes' at the top ({page.reading_time!r})")


def check_search(site, docs):
    with open(os.path.join(site, "search", "search_index.json"), encoding="utf-8") as f:
        index = json.load(f)
    documents = {d["location"]: d for d in index["docs"]}
    for name in chapters_of(docs):
        location = page_url(name)
        entry = documents.get(location)
        if entry is None:
            fail(f"search index: no entry for {location}")
        elif len(entry["text"].split()) < 100:
            fail(f"search index: {location} holds only {len(entry['text'].split())} words")
    print(f"search index: {len(documents)} entries, every chapter checked")


# ---------------------------------------------------------------------------------------------
def navigation(repo, work):
    """The generated navigation on a copy with made-up deep dives and an outside link."""
    copy = os.path.join(work, "copy")
    shutil.rmtree(copy, ignore_errors=True)
    os.makedirs(os.path.join(copy, "tools"))
    shutil.copy(os.path.join(repo, "mkdocs.yml"), copy)
    shutil.copytree(os.path.join(repo, "tools", "site"), os.path.join(copy, "tools", "site"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(os.path.join(repo, "docs"), os.path.join(copy, "docs"))
    docs = os.path.join(copy, "docs")
    deep = os.path.join(docs, "deep")
    os.makedirs(deep, exist_ok=True)
    # The pages link code all over the tree (docs/map.md): the rest of the tree, as links to it;
    # 01_serial as a copy, to hold the made-up file.
    shutil.copytree(os.path.join(repo, "01_serial"), os.path.join(copy, "01_serial"))
    for name in os.listdir(repo):
        if name in ("docs", "tools", "01_serial", "mkdocs.yml") or name.startswith((".", "build")):
            continue
        os.symlink(os.path.join(repo, name), os.path.join(copy, name))
    for name in os.listdir(os.path.join(repo, "tools")):
        if name != "site":
            os.symlink(os.path.join(repo, "tools", name), os.path.join(copy, "tools", name))
    with open(os.path.join(copy, "01_serial", "made_up.cpp"), "w") as f:
        f.write("// made up for the site's test\nint main() { return 0; }\n")
    chapter2 = next(n for n in chapters_of(docs) if n.startswith("02-"))
    pages = {
        "02-example.md": f"""# Deep dive: an example

Deepens [chapter 2](../{chapter2}).

## A `code_name` heading: with punctuation & more

The file: [made_up.cpp](../../01_serial/made_up.cpp), [its folder](../../01_serial/); [this heading](#a-code_name-heading-with-punctuation--more);
[the second "Again"](#again-1); [an image](../images/{sorted(os.listdir(os.path.join(docs, 'images')))[0]}).

## Again

## Again

```cpp
int answer() {{ return 42; }}
```
""",
        "02-another.md": "# Deep dive: another one\n\nReading time: about 3 minutes; needs chapter 2.\n\n"
                         '<img src="../images/' + sorted(os.listdir(os.path.join(docs, 'images')))[0] + '" width="300">\n',
        "05-example.md": "# Deep dive: a chapter 5 example\n\n[Back](02-example.md#again).\n",
    }
    for name, text in pages.items():
        with open(os.path.join(deep, name), "w") as f:
            f.write(text)
    site = os.path.join(work, "copy-site")
    status, output, noisy = build(os.path.join(copy, "mkdocs.yml"), site)
    if status != 0 or noisy:
        fail(f"the copy did not build cleanly (exit {status}):\n{output}")
        return
    pages_built = check_site(site)
    order = check_navigation(docs, pages_built)
    print("reading order:", " ".join(order))
    check_anchors(docs, pages_built, load(os.path.join(repo, "tests", "docs", "links.py"), "links"))
    check_titles_and_reading_time(docs, pages_built)
    example = pages_built["deep/02-example/"]
    for anchor in ("a-code_name-heading-with-punctuation--more", "again", "again-1"):
        if anchor not in example.ids:
            fail(f"deep/02-example/: no GitHub anchor {anchor} (ids: {sorted(example.ids)[:20]})")
    if "computed" not in (example.reading_time or ""):
        fail(f"deep/02-example/: no computed reading time ({example.reading_time!r})")
    if "computed" in (pages_built["deep/02-another/"].reading_time or "x"):
        fail("deep/02-another/: its own reading time was replaced")
    code = [h for h in example.links if "made_up.cpp" in h]
    if not code:
        fail("deep/02-example/: the link to ../../01_serial/made_up.cpp is gone")
    else:
        file, _ = resolve(site, "deep/02-example/", code[0])
        shown = html.unescape(re.sub(r"<[^>]+>", "", open(file, encoding="utf-8").read())) \
            if os.path.isfile(file) else ""
        if "int main() { return 0; }" not in shown or '<span class="k">return</span>' not in open(file).read():
            fail(f"deep/02-example/: {code[0]} does not show 01_serial/made_up.cpp ({file})")
    folder = [h for h in example.links if h.rstrip("/").endswith("code/01_serial")]
    if not folder:
        fail(f"deep/02-example/: the link to the folder ../../01_serial/ is not a page of the site: {example.links}")
    else:
        listing = parse(resolve(site, "deep/02-example/", folder[0])[0])
        if not any(target_url("code/01_serial/", h)[0] == "code/01_serial/made_up.cpp/" for h in listing.links):
            fail(f"{folder[0]}: does not link made_up.cpp ({listing.links})")
    # The deep dives sit under their chapter's short title in the sidebar.
    home = open(os.path.join(site, "index.html"), encoding="utf-8").read()
    label2 = first_heading(os.path.join(docs, chapter2)).split(":")[0]
    deep_nav = home[home.find("Deep dives"):]
    if label2 not in deep_nav or deep_nav.find(label2) > deep_nav.find("Another one"):
        fail(f"sidebar: the chapter 2 deep dives are not under {label2!r}")
    # A broken link fails the strict build.
    with open(os.path.join(deep, "05-broken.md"), "w") as f:
        f.write("# Deep dive: broken\n\n[gone](no-such-page.md)\n")
    status, output, _ = build(os.path.join(copy, "mkdocs.yml"), os.path.join(work, "broken-site"))
    if status == 0 or "no-such-page.md" not in output:
        fail(f"a link to a missing page did not fail the strict build (exit {status})")


# ---------------------------------------------------------------------------------------------
def chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def offsite_requests(netlog_path, port):
    """URLs the page asked for (not Chromium's own background requests) outside 127.0.0.1:port."""
    with open(netlog_path, encoding="utf-8") as f:
        text = f.read()
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # Chromium killed before it closed the log: close it here
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    found, count = [], 0
    for event in log["events"]:
        params = event.get("params", {})
        if types.get(event["type"]) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        initiator = params.get("initiator", "")
        if initiator.startswith("http") or initiator == "null":  # requested by a page
            count += 1
            host = urllib.parse.urlsplit(params["url"])
            if host.scheme not in ("data", "blob") and (host.hostname != "127.0.0.1" or host.port != port):
                found.append(params["url"])
    return found, count


HARNESS = "__site_test_harness.html"
HARNESS_PAGE = """<!doctype html><html><head><title>harness</title><link rel="icon" href="data:,">
<style>body { margin: 0 } iframe { position: absolute; top: 0; left: 0; width: 1300px; height: 4000px; border: 0 }</style>
</head><body><pre id="results"></pre><script>
const pages = PAGES;
const wait = ms => new Promise(done => setTimeout(done, ms));
async function visit(page) {
  const frame = document.createElement("iframe");
  const loaded = new Promise(done => { frame.onload = done; });
  frame.src = page;
  document.body.appendChild(frame);
  await loaded;
  await wait(2000);  // the theme's script: copy buttons, search worker
  const d = frame.contentDocument;
  const result = {
    page: page,
    title: d.title,
    styled: getComputedStyle(d.body).fontFamily !== "" && d.styleSheets.length > 0 &&
            Array.from(d.styleSheets).every(s => { try { return s.cssRules.length > 0; } catch (e) { return false; } }),
    script: d.documentElement.classList.contains("js"),
    copy_buttons: d.querySelectorAll("button.md-clipboard").length,
    broken_images: Array.from(d.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
  };
  frame.remove();
  return result;
}
(async () => {
  const results = [];
  for (const page of pages) {
    try { results.push(await visit(page)); } catch (e) { results.push({page: page, error: String(e)}); }
  }
  document.getElementById("results").textContent = JSON.stringify(results);
})();
</script></body></html>
"""


def code_anchor(path):
    """The id of the last heading before the page's first highlighted code block: opened at that
    heading, the block is in view (the theme adds copy buttons to code blocks it has seen)."""
    text = open(path, encoding="utf-8").read()
    first = text.find('class="highlight"')
    ids = re.findall(r'<h[2-6] id="([^"]+)"', text[:first])
    return ids[-1] if ids else ""


def browser(repo, work):
    docs = os.path.join(repo, "docs")
    site = os.path.join(work, "site")
    status, output, noisy = build(os.path.join(repo, "mkdocs.yml"), site)
    if status != 0 or noisy:
        fail(f"docs/ did not build cleanly (exit {status}):\n{output}")
        return
    print("built docs/ in strict mode, no warning")
    pages = check_site(site)
    check_navigation(docs, pages)
    check_anchors(docs, pages, load(os.path.join(repo, "tests", "docs", "links.py"), "links"))
    check_titles_and_reading_time(docs, pages)
    check_search(site, docs)
    print(f"{len(pages)} pages checked on disk")

    browser_path = chromium()
    if browser_path is None:
        fail("chromium not found: apt-get install chromium (./tour.sh test installs it)")
        return
    log_path = os.path.join(work, "requests.log")
    open(log_path, "w").close()
    server = subprocess.Popen([sys.executable, os.path.join(repo, "tools", "site", "serve.py"), site,
                               "--port", "0", "--log", log_path], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            fail(f"serve.py printed {line!r}, not its URL")
            return
        base, port = match.group(0), int(match.group(1))
        code_page = next((u for u in (page_url(n) for n in chapters_of(docs))
                          if 'class="highlight"' in open(os.path.join(site, u, "index.html"), encoding="utf-8").read()),
                         None)
        # One Chromium opens every page in turn, in an iframe of a harness page served with the
        # site (a browser start per page would take minutes), and the harness writes what it saw
        # into its own page, which --dump-dom prints.
        anchor = code_anchor(os.path.join(site, code_page, "index.html")) if code_page else ""
        visits = [(url, (url or "./") + ("#" + anchor if url == code_page and anchor else "")) for url in sorted(pages)]
        with open(os.path.join(site, HARNESS), "w", encoding="utf-8") as f:
            f.write(HARNESS_PAGE.replace("PAGES", json.dumps([v for _, v in visits])))
        scratch = os.path.join(work, "chromium")
        shutil.rmtree(scratch, ignore_errors=True)
        os.makedirs(scratch)
        netlog = os.path.join(scratch, "net.json")
        command = [browser_path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-first-run", "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--disable-extensions", f"--user-data-dir={scratch}/profile",
                   # Nothing but 127.0.0.1 resolves: a page that reached for a CDN would fail here as
                   # it would on a machine with no network, and the net log shows the attempt.
                   "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                   f"--log-net-log={netlog}", "--window-size=1300,4000",
                   f"--virtual-time-budget={5000 + 3000 * len(visits)}", "--dump-dom", base + HARNESS]
        dom = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             timeout=120 + 10 * len(visits)).stdout
        match = re.search(r'<pre id="results">(.*?)</pre>', dom, re.DOTALL)
        seen = {r["page"]: r for r in json.loads(html.unescape(match.group(1)))} if match else {}
        if not match:
            fail(f"the harness page reported nothing (Chromium's output: {dom[:300]!r})")
        for url, visit in visits:
            result = seen.get(visit)
            if result is None:
                if match:
                    fail(f"{visit}: Chromium did not open it")
                continue
            if result.get("error"):
                fail(f"{visit}: {result['error']}")
                continue
            if result["title"].strip() != html.unescape(pages[url].title).strip():
                fail(f"{visit}: Chromium's title {result['title']!r}, the page's {pages[url].title!r}")
            if not result["styled"]:
                fail(f"{visit}: the theme's style sheet did not apply")
            if url != "404.html" and not result["script"]:
                fail(f"{visit}: the theme's script did not run")
            if url == code_page and result["copy_buttons"] == 0:
                fail(f"{visit}: no copy button (md-clipboard) on its code blocks")
            if result["broken_images"]:
                fail(f"{visit}: images that did not load: {result['broken_images']}")
        if code_page is not None and visits and code_page in dict(visits):
            print(f"{code_page}: {seen.get(dict(visits)[code_page], {}).get('copy_buttons')} copy buttons")
        requests = 0
        if os.path.exists(netlog):
            off, requests = offsite_requests(netlog, port)
            for request in off:
                fail(f"a page asked for {request}, off 127.0.0.1")
        else:
            fail("Chromium wrote no net log")
        print(f"{len(pages)} pages opened in Chromium, {requests} requests from the pages, all to 127.0.0.1")
        if code_page is None:
            fail("no chapter has a highlighted code block")
        # A screenshot of a chapter: decoded with the project's PNG reader, it must not be blank.
        svg_renders = load(os.path.join(repo, "tests", "compare", "svg_renders.py"), "svg_renders")
        chapter = code_page or page_url(chapters_of(docs)[0])
        scratch = os.path.join(work, "shot")
        shutil.rmtree(scratch, ignore_errors=True)
        os.makedirs(scratch)
        shot = os.path.join(scratch, "chapter.png")
        subprocess.run([browser_path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        f"--user-data-dir={scratch}/profile", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                        "--window-size=1200,900", "--virtual-time-budget=4000", f"--screenshot={shot}", base + chapter],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
        if not os.path.exists(shot):
            fail(f"{chapter}: Chromium wrote no screenshot")
        else:
            width, height, rows = svg_renders.decode_png(open(shot, "rb").read())
            # The article's column only (below the header bar, between the sidebars): the bar and
            # the menus alone must not pass for a page. Text there darkens a few % of the pixels.
            article = [row[width // 4:width * 4 // 5] for row in rows[height // 8:]]
            area = sum(len(row) for row in article)
            ink = sum(1 for row in article for pixel in row if min(pixel) < 200)
            print(f"{chapter}: {width}x{height} screenshot, {ink} of the article's {area} pixels not white")
            if ink < area // 100:
                fail(f"{chapter}: the article is (nearly) blank: {ink} non-white pixels of {area}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    with open(log_path, encoding="utf-8") as f:
        answered = [line.split(" ", 1) for line in f.read().splitlines() if line]
    errors = [f"{code} {path}" for code, path in answered if int(code) >= 400]
    for error in errors:
        fail(f"the server answered {error}")
    print(f"the server answered {len(answered)} requests, {len(errors)} with an error")
    if not any(code == "200" and path.split("?")[0].endswith("/search/search_index.json") for code, path in answered):
        fail("no page's search asked for search/search_index.json")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("navigation", "browser"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, repo, work = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    os.makedirs(work, exist_ok=True)
    started = time.monotonic()
    (navigation if mode == "navigation" else browser)(repo, work)
    print(f"{mode}: {len(failures)} failure(s) ({time.monotonic() - started:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
