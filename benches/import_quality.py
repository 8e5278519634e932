#!/usr/bin/env python3
"""How well `gazette import` reads real pages, beside trafilatura on the same pages.

Runs `gazette import` (one page at a time, into a scratch folder) and trafilatura
(`pip install trafilatura`) on every page of a folder that has an entry in
benches/import_expectations.json: title, date, author and the first and last sentence
of the article, written by hand from reading each page in a browser. Prints one table:

    title / date / author right, first / last sentence found in the body, refused

for gazette beside trafilatura. The pages are not in the repository (their licence and
the sites' rights do not allow it): see ../shared/import-dev/README.md.

    python3 benches/import_quality.py [--gazette target/release/gazette]
        [--pages ../shared/import-dev/pages] [--show]

`--show` prints every miss (expected, got) as well. "chrome kept" counts the letters and
digits a system keeps before the article's first sentence and after its last (site
chrome, captions, notes) on the pages where it found both.

Body F1 (issue 21's measure): the gold body of a page is its visible text (an lxml parse
of the page decoded as a browser would, without head, script, style, noscript, template,
form controls and elements hidden by `hidden` or an inline display:none /
visibility:hidden) cut from the hand-written first-sentence fragment to the end of the
last-sentence fragment, inclusive. Each system's body and the gold body are reduced to
letters, digits and ideographs (no punctuation, no spaces, NFKC, lower case) and compared
as multisets of character bigrams: F1 = 2PR/(P+R). A refused page scores 0. Pages whose
gold body cannot be cut (a fragment not in the visible text) are left out of F1 and
listed.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


def canonical(text):
    """Ideographs, letters and digits only, in NFKC (full-width ASCII is ASCII), lower case:
    compares across punctuation width, spacing, quotes and Markdown markers."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(c for c in text if c.isalnum())


def decode_like_a_browser(raw):
    """Text of a page's bytes: BOM, then valid UTF-8, then the declared charset, then GB18030
    (the pages are Chinese), replacement characters for bad bytes. The same order as
    gazette's src/import/html.rs and as browsers settle most pages."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec, "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", raw[:4096])
    codec = m.group(1).decode("ascii").lower() if m else "gb18030"
    if codec in ("gb2312", "gbk", "x-gbk"):
        codec = "gb18030"  # what browsers use for these labels
    try:
        return raw.decode(codec, "replace")
    except LookupError:
        return raw.decode("gb18030", "replace")


INVISIBLE = {"head", "script", "style", "noscript", "template", "select", "option", "textarea", "iframe", "object", "svg"}


def visible_text(raw):
    """The text a reader sees on the page, as one string (see the module comment)."""
    import lxml.html

    text = decode_like_a_browser(raw)
    # lxml refuses str input with an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    root = lxml.html.document_fromstring(text)
    parts = []

    def hidden(el):
        style = (el.get("style") or "").replace(" ", "").lower()
        return el.get("hidden") is not None or "display:none" in style or "visibility:hidden" in style

    def walk(el):
        if not isinstance(el.tag, str) or el.tag.lower() in INVISIBLE or hidden(el):
            return
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(root)
    return "\n".join(parts)


def gold_body(raw, expected):
    """The canonical visible text from the first fragment to the end of the last, or None."""
    text = canonical(visible_text(raw))
    first, last = canonical(expected["first"]), canonical(expected["last"])
    start = text.find(first)
    if start < 0:
        return None
    end = text.find(last, start)
    if end < 0:
        return None
    return text[start : end + len(last)]


def bigrams(text):
    return collections.Counter(text[i : i + 2] for i in range(len(text) - 1))


def body_f1(gold, body):
    """F1 over character bigrams of two canonical texts."""
    want, got = bigrams(gold), bigrams(body)
    overlap = sum((want & got).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def markdown_text(body):
    """A Markdown body without image and link targets (their letters are not page text)."""
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)


def front_matter(markdown):
    """(fields, body) of an imported article; fields is a flat dict of the scalars."""
    parts = markdown.split("---\n", 2)
    if len(parts) < 3:
        return {}, markdown
    fields = {}
    for line in parts[1].splitlines():
        m = re.match(r"^([a-z_]+):\s*(.*)$", line)
        if m:
            value = m.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            fields[m.group(1)] = value
    return fields, parts[2]


def run_gazette(binary, page, scratch):
    """(title, date, author, body) or None when the page was refused."""
    out = tempfile.mkdtemp(dir=scratch)
    result = subprocess.run([binary, "import", page, "--into", out], capture_output=True, text=True, cwd=scratch)
    written = []
    for root, _, files in os.walk(out):
        written += [os.path.join(root, f) for f in files if f.endswith(".md")]
    if result.returncode != 0 or not written:
        return None
    with open(sorted(written)[0], encoding="utf-8") as f:
        fields, body = front_matter(f.read())
    return fields.get("title"), fields.get("date"), fields.get("author"), markdown_text(body)


def run_trafilatura(page):
    import trafilatura

    with open(page, "rb") as f:
        raw = f.read()
    document = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
    if document is None:
        return None
    get = (lambda k: document.get(k)) if isinstance(document, dict) else (lambda k: getattr(document, k, None))
    text = get("text")
    if not text:
        return None
    # trafilatura may repeat the headline as the text's first line; gazette keeps it in
    # the front matter only. Neither counts as chrome kept.
    title = get("title") or ""
    lines = text.split("\n")
    if title and lines and canonical(lines[0]).startswith(canonical(title)):
        text = "\n".join(lines[1:])
    return title, get("date"), get("author"), text


def score(expected, got):
    """Per column: True (right), False (wrong)."""
    if got is None:
        return None
    title, date, author, body = got
    body_c = canonical(body)
    want_date = expected.get("date")
    got_date = (date or "")[:10] or None
    want_author = expected.get("author")
    first_at = body_c.find(canonical(expected["first"]))
    last_c = canonical(expected["last"])
    last_at = body_c.rfind(last_c)
    # Text kept outside the article (before its first sentence, after its last): chrome
    # the editor has to delete. Counted only when both ends were found.
    extra = first_at + (len(body_c) - last_at - len(last_c)) if first_at >= 0 and last_at >= 0 else None
    return {
        "extra": extra,
        "title": canonical(title) == canonical(expected["title"]),
        "date": got_date == want_date,
        "author": (canonical(author) or None) == (canonical(want_author) or None),
        "first": canonical(expected["first"]) in body_c,
        "last": canonical(expected["last"]) in body_c,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gazette", default=os.path.join(HERE, "..", "target", "release", "gazette"))
    parser.add_argument("--pages", default=os.path.join(HERE, "..", "..", "shared", "import-dev", "pages"))
    parser.add_argument("--expectations", default=os.path.join(HERE, "import_expectations.json"))
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args()
    with open(args.expectations, encoding="utf-8") as f:
        expectations = json.load(f)["pages"]
    columns = ["title", "date", "author", "first", "last"]
    totals = {"gazette": dict.fromkeys(columns + ["refused"], 0), "trafilatura": dict.fromkeys(columns + ["refused"], 0)}
    extras = {"gazette": [], "trafilatura": []}
    f1s = {"gazette": [], "trafilatura": []}
    no_gold = []
    every_page = sorted(p for p in os.listdir(args.pages) if p.endswith(".html"))
    refused_anywhere = {"gazette": [], "trafilatura": []}
    with tempfile.TemporaryDirectory() as scratch:
        for name in every_page:
            page = os.path.join(args.pages, name)
            results = {"gazette": run_gazette(args.gazette, page, scratch), "trafilatura": run_trafilatura(page)}
            for system, got in results.items():
                if got is None:
                    refused_anywhere[system].append(name)
            expected = expectations.get(name)
            if expected is None:
                continue
            with open(page, "rb") as f:
                gold = gold_body(f.read(), expected)
            if gold is None:
                no_gold.append(name)
            for system, got in results.items():
                if gold is not None:
                    f1 = body_f1(gold, canonical(got[3])) if got is not None else 0.0
                    f1s[system].append(f1)
                    if args.show and f1 < 0.9:
                        print(f"{system:11} {name} body F1 {f1:.2f}")
                marks = score(expected, got)
                if marks is None:
                    totals[system]["refused"] += 1
                    if args.show:
                        print(f"{system:11} {name}: refused")
                    continue
                if marks["extra"] is not None:
                    extras[system].append(marks["extra"])
                for column in columns:
                    totals[system][column] += int(marks[column])
                    if args.show and not marks[column]:
                        index = {"title": 0, "date": 1, "author": 2}.get(column)
                        shown = got[index] if index is not None else "(not in the body)"
                        print(f"{system:11} {name} {column}: expected {expected.get(column)!r}, got {shown!r}")
    n = len(expectations)
    print(f"\n{n} pages with hand-written expectations ({len(every_page)} pages in all)\n")
    print("| system | title right | date right | author right | first sentence found | last sentence found | body F1 mean | body F1 median | refused | chrome kept (median chars; pages with > 200) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for system in ["gazette", "trafilatura"]:
        t = totals[system]
        kept = sorted(extras[system])
        median = kept[len(kept) // 2] if kept else 0
        over = sum(1 for k in kept if k > 200)
        scores = sorted(f1s[system])
        mean = sum(scores) / len(scores) if scores else 0.0
        middle = (scores[(len(scores) - 1) // 2] + scores[len(scores) // 2]) / 2 if scores else 0.0
        f1_cells = [f"{mean:.3f}", f"{middle:.3f}"]
        cells = [f"{t[c]} of {n}" for c in columns] + f1_cells + [f"{t['refused']} of {n}", f"{median}; {over} of {len(kept)}"]
        print(f"| {system} | " + " | ".join(cells) + " |")
    print(f"\nbody F1 over {n - len(no_gold)} pages" + (f"; no gold body (a fragment not in the visible text): {', '.join(no_gold)}" if no_gold else ""))
    for system, refused in refused_anywhere.items():
        print(f"\n{system} refused {len(refused)} of {len(every_page)} pages in all" + (f": {', '.join(refused)}" if refused else ""))


if __name__ == "__main__":
    sys.exit(main())
