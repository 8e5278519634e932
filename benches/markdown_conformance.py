#!/usr/bin/env python3
"""Markdown conformance: gazette's article renderer against the CommonMark 0.31.2 examples
and the CJK-friendly emphasis fixtures, beside plain pulldown-cmark with the same options.

    cargo build --release --example markdown_render
    python3 benches/markdown_conformance.py \
        --renderer target/release/examples/markdown_render \
        --commonmark ~/.cargo/registry/src/*/pulldown-cmark-0.13.6/tests/suite/spec.rs \
        --cjk /work/scratch/md-fixtures/cjk_friendly.txt

The fixtures stay outside the repository. `--commonmark` takes pulldown-cmark's generated
spec test file (`let original = r##"…"##; let expected = r##"…"##;` per example); `--cjk` a
file in the CommonMark spec format (a fence of 32 backticks with `example`, the Markdown, a
line with `.`, the HTML), one example per paragraph, grouped under `# name` lines; the group
`compat` holds CommonMark-compatibility checks and is counted apart.

Outputs are compared after pulldown-cmark's own test normalisation (`<br>`/`<hr>` spelling,
line breaks between tags); gazette's heading ids are set aside. For CommonMark examples that
plain pulldown-cmark passes and gazette fails, the difference is classified: `heading-levels`
(equal once heading levels are ignored: gazette closes gaps by design), `highlighted-code`
(gazette's highlighted or `language-` code block), `escaping` (the same text, with `"`
written `&quot;`), `url-scheme` (a link or image whose scheme is not on the allowed
list lost its tag), `sanitiser` (the difference goes away with
raw HTML allowed), or `other`. Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

FENCE = "`" * 32


def read_commonmark(path: Path) -> list[tuple[str, str, str]]:
    """(name, markdown, expected html) from pulldown-cmark's generated spec.rs."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(
        r'fn (spec_test_\d+)\(\) \{\s*let original = r##"(.*?)"##;\s*let expected = r##"(.*?)"##;',
        re.S,
    )
    return [(m.group(1), m.group(2), m.group(3)) for m in pattern.finditer(text)]


def read_spec_format(path: Path) -> list[tuple[str, str, str, str]]:
    """(group, name, markdown, expected html) from a CommonMark-style spec file."""
    out = []
    group = ""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("# "):
            group = line[2:].strip()
        if line.startswith(FENCE) and "example" in line:
            j = lines.index(".", i + 1)
            k = lines.index(FENCE, j + 1)
            md = "\n".join(lines[i + 1 : j]).replace("→", "\t") + "\n"
            html = "\n".join(lines[j + 1 : k]).replace("→", "\t") + "\n"
            out.append((group, f"{group}-{len(out) + 1}", md, html))
            i = k
        i += 1
    return out


def standardize(html: str) -> str:
    """pulldown-cmark's test normalisation."""
    return (
        html.replace("<br>", "<br />")
        .replace("<br/>", "<br />")
        .replace("<hr>", "<hr />")
        .replace("<hr/>", "<hr />")
        .replace(">\n<", "><")
        .strip()
    )


HEADING_ID = re.compile(r'(<h[1-6])( id="[^"]*")')


def ours(html: str) -> str:
    return standardize(HEADING_ID.sub(r"\1", html))


def without_heading_levels(html: str) -> str:
    return re.sub(r"<(/?)h[1-6]", r"<\1h", html)


RAW_HTML = re.compile(r"<[A-Za-z/!?]")


def classify(got: str, unsanitised: str, plain: str) -> str:
    if html.unescape(got) == html.unescape(plain):
        return "escaping"
    if without_heading_levels(got) == without_heading_levels(plain):
        return "heading-levels"
    if 'class="hl-code"' in got or 'class="language-' in got:
        return "highlighted-code"
    if got != unsanitised and unsanitised == plain:
        return "sanitiser"
    if got.count("<a href") + got.count("<img") < plain.count("<a href") + plain.count("<img"):
        return "url-scheme"
    return "other"


TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
ATTR = re.compile(r'([a-zA-Z-]+)=')


def markup(html_text: str) -> Counter[str]:
    """Element and attribute names in some HTML, for what the sanitiser removed."""
    found: Counter[str] = Counter()
    for name, attrs in TAG.findall(html_text):
        found[f"<{name.lower()}>"] += 1
        for attr in ATTR.findall(attrs):
            found[f"{name.lower()} {attr.lower()}="] += 1
    return found


def render(renderer: str, docs: list[str]) -> list[tuple[str, str]]:
    result = subprocess.run(
        [renderer], input=json.dumps(docs), capture_output=True, text=True, check=True
    )
    return [tuple(pair) for pair in json.loads(result.stdout)]


def is_chinese(md: str) -> bool:
    """Han characters and no kana or hangul."""
    han = re.search(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]", md)
    other = re.search(r"[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\uac00-\ud7af\U0001b000-\U0001b2ff]", md)
    return bool(han) and not other


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--renderer", required=True, help="the markdown_render example binary")
    parser.add_argument("--commonmark", type=Path, help="pulldown-cmark's tests/suite/spec.rs")
    parser.add_argument("--cjk", type=Path, help="CJK-friendly fixtures in spec format")
    parser.add_argument("--show", type=int, default=30, help="failing examples to print per list")
    args = parser.parse_args()

    if args.commonmark:
        examples = read_commonmark(args.commonmark)
        outputs = render(args.renderer, [md for _, md, _ in examples])
        ok_ours = ok_plain = 0
        reasons: Counter[str] = Counter()
        listed: dict[str, list[str]] = {}
        removed: Counter[str] = Counter()
        for (name, md, expected), (got, unsanitised, plain) in zip(examples, outputs):
            want = standardize(expected)
            pass_ours = ours(got) == want
            pass_plain = standardize(plain) == want
            ok_ours += pass_ours
            ok_plain += pass_plain
            if pass_plain and not pass_ours:
                reason = classify(ours(got), ours(unsanitised), standardize(plain))
                if reason == "sanitiser":
                    removed.update(markup(plain) - markup(got))
                reasons[reason] += 1
                listed.setdefault(reason, []).append(name.removeprefix("spec_test_"))
        print(f"CommonMark 0.31.2: {len(examples)} examples")
        print(f"  gazette             {ok_ours}/{len(examples)} (heading ids set aside)")
        print(f"  plain pulldown-cmark {ok_plain}/{len(examples)}")
        print("  passed by plain pulldown-cmark, failed by gazette:")
        for reason, count in reasons.most_common():
            print(f"    {reason:17} {count:3}  examples {', '.join(listed[reason])}")
        if removed:
            print("  what the sanitiser removed there (element / attribute: times):")
            print("    " + ", ".join(f"{k} {v}" for k, v in removed.most_common()))

    if args.cjk:
        examples = read_spec_format(args.cjk)
        outputs = render(args.renderer, [md for _, _, md, _ in examples])
        totals: Counter[str] = Counter()
        failures = []
        for (group, name, md, expected), (got, _, plain) in zip(examples, outputs):
            kind = "compat" if group == "compat" else "fixture"
            want = standardize(expected)
            # gazette numbers and places footnotes its own way: compare up to the reference.
            if group == "footnote":
                want, got, plain = (s.split("<sup")[0] for s in (want, ours(got), standardize(plain)))
                pass_ours, pass_plain = got == want, plain == want
            else:
                pass_ours, pass_plain = ours(got) == want, standardize(plain) == want
            totals[f"{kind} total"] += 1
            totals[f"{kind} gazette"] += pass_ours
            totals[f"{kind} plain"] += pass_plain
            if kind == "fixture" and is_chinese(md):
                totals["chinese total"] += 1
                totals["chinese gazette"] += pass_ours
                totals["chinese plain"] += pass_plain
            if not pass_ours:
                failures.append((name, md, want, ours(got)))
        print("CJK-friendly emphasis fixtures")
        for kind in ("fixture", "chinese", "compat"):
            print(
                f"  {kind:8} gazette {totals[kind + ' gazette']}/{totals[kind + ' total']}"
                f"   plain pulldown-cmark {totals[kind + ' plain']}/{totals[kind + ' total']}"
            )
        for name, md, want, got in failures[: args.show]:
            print(f"  FAIL {name}: {md.strip()!r}\n    want {want!r}\n    got  {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
