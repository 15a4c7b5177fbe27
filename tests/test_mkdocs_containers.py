"""MkDocs blocks inside containers (admonitions, collapsible blocks, content tabs, list
items, nested), through real Material builds with and without pymdownx.superfences."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_mkdocs import copy_site, mkdocs_build, plugin_warnings

from pages import figures
from sphinxcontrib_attnviz import render_html

#: Each block of tests/roots/mkdocs-containers/docs/index.md: its first token, the
#: containers it stands in (innermost last), and its opening fence's line.
BLOCKS = [
    ("admonition", ["div.admonition note"], 5),
    ("collapsible", ["details.tip"], 12),
    ("tab", ["div.tabbed-set tabbed-alternate", "div.tabbed-content", "div.tabbed-block"], 19),
    ("bullet", ["ul", "li"], 30),
    ("numbered", ["ol", "li"], 41),
    ("numbered", ["ol", "li"], 48),
    (
        "nested\u2409tab",
        ["div.admonition example", "div.tabbed-set tabbed-alternate", "div.tabbed-content", "div.tabbed-block"],
        59,
    ),
]
SET_UPS = ["superfences", "scanner"]
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
#: The containers that matter here (not the theme's page layout).
CONTAINERS = re.compile(r"^(div\.(admonition|tabbed)|details|ul$|ol$|li$|blockquote$)")


class _Ancestors(HTMLParser):
    """The containers around each ``div.attnviz``, outermost first."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.found: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "div" and "attnviz" in classes.split():
            self.found.append([name for name in self.stack if CONTAINERS.match(name)])
        if tag not in VOID:
            self.stack.append(f"{tag}.{classes}" if classes else tag)

    def handle_endtag(self, tag: str) -> None:
        names = [name.split(".")[0] for name in self.stack]
        if tag in names:  # (an end tag with no start tag is ignored, as browsers do)
            del self.stack[len(names) - 1 - names[::-1].index(tag) :]


def containers(html: str) -> list[list[str]]:
    parser = _Ancestors()
    parser.feed(html)
    return parser.found


def project(tmp_path: Path, set_up: str) -> Path:
    root = copy_site("containers", tmp_path)
    if set_up == "scanner":
        config = root / "mkdocs.yml"
        config.write_text(config.read_text().replace("  - pymdownx.superfences\n", ""))
    return root


@pytest.mark.parametrize("set_up", SET_UPS)
def test_blocks_are_drawn_in_every_container(tmp_path: Path, set_up: str) -> None:
    root = project(tmp_path, set_up)
    run = mkdocs_build(root)
    assert run.returncode == 0, run.stderr
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    drawn = figures(page)
    assert [figure.tokens[0] for figure in drawn] == [name for name, _, _ in BLOCKS]
    assert [found[-len(expected) :] for found, (_, expected, _) in zip(containers(page), BLOCKS, strict=True)] == [
        expected for _, expected, _ in BLOCKS
    ]
    # the numbered list stays one list of three items, each block inside its own item
    [numbered] = re.findall(r"<ol>.*?</ol>", page, flags=re.DOTALL)
    assert numbered.count("<li>") == 3 and "The third numbered item." in numbered
    assert page.count("<ol>") == 1
    # a block's lines are read as the page has them: the tab inside a token is kept
    nested = drawn[-1]
    assert nested.html == render_html(["nested\ttab", "inner"], [0.7, 0.3])
    # indented code, at the top level and in the admonition, stays code
    assert page.count("```attention-viz") == 2 and "code 0.9" in page and "code 0.8" in page


BAD_FILE = "tokens: one.tokens\nscores: bad.scores"


@pytest.mark.parametrize("set_up", SET_UPS)
@pytest.mark.parametrize("position", range(len(BLOCKS)))
def test_a_bad_block_is_one_warning_in_every_position(tmp_path: Path, set_up: str, position: int) -> None:
    """A block reading a bad scores file fails ``--strict``, naming the page's line and the
    file's, wherever it stands; the other blocks are drawn."""
    root = project(tmp_path, set_up)
    (root / "docs" / "one.tokens").write_text("good\nbad\n")
    (root / "docs" / "bad.scores").write_text("0.5\nn/a\n")
    index = root / "docs" / "index.md"
    lines = index.read_text().split("\n")
    fence_line = BLOCKS[position][2]
    indent = lines[fence_line - 1][: len(lines[fence_line - 1]) - len(lines[fence_line - 1].lstrip())]
    lines[fence_line : fence_line + 2] = [indent + line for line in BAD_FILE.split("\n")]
    index.write_text("\n".join(lines))
    run = mkdocs_build(root)
    assert run.returncode != 0
    assert plugin_warnings(run) == [
        f"WARNING -  attention-viz: index.md:{fence_line}: bad.scores:2: not a number: 'n/a'"
    ]
    assert mkdocs_build(root, "--no-strict").returncode == 0
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert [figure.tokens[0] for figure in figures(page)] == [n for i, (n, _, _) in enumerate(BLOCKS) if i != position]
    assert page.count("This visualisation could not be drawn.") == 1


#: Lines that only look like a container's opening: Python-Markdown shows the block after
#: each as indented code, and so must the plugin.
NOT_CONTAINERS = {
    "rule": "Text\n\n- - -\n\n",
    "paragraph": "Some paragraph\n- not a list\n\n",
    "year": "It was in\n1984. was good\n\n",
}


@pytest.mark.parametrize("set_up", SET_UPS)
@pytest.mark.parametrize("before", NOT_CONTAINERS)
def test_indented_code_after_what_only_looks_like_a_container_stays_code(
    tmp_path: Path, set_up: str, before: str
) -> None:
    root = project(tmp_path, set_up)
    page = NOT_CONTAINERS[before] + "    ```attention-viz\n    code 0.1\n    ```\n\n```attention-viz\ndrawn 0.2\n```\n"
    (root / "docs" / "index.md").write_text(page)
    run = mkdocs_build(root)
    assert run.returncode == 0, run.stderr
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    [figure] = figures(html)
    assert figure.tokens == ["drawn"]
    assert "<pre><code>```attention-viz\ncode 0.1\n```\n</code></pre>" in html


@pytest.mark.parametrize("set_up", SET_UPS)
def test_a_block_after_a_lazy_continuation_line_is_in_its_item(tmp_path: Path, set_up: str) -> None:
    root = project(tmp_path, set_up)
    page = "1. one\nlazy continuation\n\n    ```attention-viz\n    lazy 0.1\n    ```\n\n2. two\n"
    (root / "docs" / "index.md").write_text(page)
    run = mkdocs_build(root)
    assert run.returncode == 0, run.stderr
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert [figure.tokens for figure in figures(html)] == [["lazy"]]
    assert [found[-2:] for found in containers(html)] == [["ol", "li"]]
    assert html.count("<ol>") == 1


def test_a_block_in_a_block_quote_reads_the_page_as_written(tmp_path: Path) -> None:
    """Superfences finds blocks in block quotes; their lines come from the page as
    written (CriticMarkup and tabs untouched by Markdown), and a bad one is located."""
    root = project(tmp_path, "superfences")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - admonition\n", "  - admonition\n  - pymdownx.critic\n"))
    page = (
        "# Quotes\n\n"  # 1-2
        "> ```attention-viz\n> {++y++} 0.1\n> c\td 0.3\n> ```\n\n"  # 3-7
        "> ```attention-viz\n> bad\n> ```\n\n"  # 8-11
        "```attention-viz\ntop 0.5\n```\n"  # 12-14
    )
    (root / "docs" / "index.md").write_text(page)
    run = mkdocs_build(root)
    assert run.returncode != 0
    assert plugin_warnings(run) == [
        "WARNING -  attention-viz: index.md:9: expected a token, whitespace, and a score: 'bad' (the block is read "
        "as inline data, 'token score' lines: its first line is not 'key: value')"
    ]
    assert mkdocs_build(root, "--no-strict").returncode == 0
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    quoted, top = figures(html)
    assert quoted.tokens == ["{++y++}", "c\u2409d"] and top.tokens == ["top"]
    assert [found[-1:] for found in containers(html)] == [["blockquote"], []]
