"""The matrix view (``:view: matrix``) in a real browser, in the token view's themes, light and dark.

The project ``tests/roots/browser-matrix`` (and its MkDocs Material twin
``tests/roots/mkdocs-browser-matrix``) draws the real inseq file
``tests/data/inseq/gpt2_attention.json`` (missing cells) and the Captum file
``tests/data/tools/captum_llm.json`` as matrices, each followed by the same data in the
token view, then a 60-column matrix. In each of :data:`test_browser.VARIANTS` this checks:
axe-core finds no violation; every scored cell shows the colour the token view gives the
same score (the dark palette's on a dark page) with text at 4.5:1 or more, missing cells
have no background, headers take the theme's text colour; Chromium's accessibility tree
has a table with column and row headers named by the tokens and rows, a missing cell
reading "no score"; Tab reaches each matrix's scroll box; and at a phone's width the page
does not scroll sideways while the wide matrix's box does, from the keyboard too.

Chromium, playwright and the helpers are those of ``tests/test_browser.py``: without
Chromium or playwright these tests skip (fail under ``CI=true``), as those do.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
import test_browser
from test_browser import (
    BACKDROP,
    FOCUS_TOP,
    VARIANTS,
    WIDTHS,
    Opened,
    Variant,
    ax_texts,
    ax_tree,
    ax_value,
    check_page_is_in_its_scheme,
    close,
    contrast,
    open_page,
    rgb,
    rgba,
    served_builds,
    text_colour,
)

from pages import ROOTS

browser = test_browser.browser  # the module-scoped Chromium fixture, shared

MATRIX_ROOT = ROOTS / "browser-matrix"
MKDOCS_MATRIX_ROOT = ROOTS / "mkdocs-browser-matrix"
DATA = ROOTS.parent / "data"
#: The minimum text contrast of a token (test_browser.test_token_colours_and_text_contrast).
MIN_CONTRAST = 4.5


@dataclass(frozen=True)
class ExpectedMatrix:
    """A matrix figure of the page, from the package's own pipeline; ``twin``: the index of
    the token-view figure of the same data on the page (None: it has none)."""

    caption: str
    viz: Any  # sphinxcontrib_attnviz.visualization.Visualization
    twin: int | None

    def name(self, variant: Variant) -> str:
        return self.caption if variant.sphinx else "Token scores"


#: The matrices of index.rst (index.md), in order: data file, caption, token-view twin.
MATRICES = [
    (DATA / "inseq" / "gpt2_attention.json", "GPT-2 attention per generation step (inseq), as a matrix.", 0),
    (DATA / "tools" / "captum_llm.json", "Captum attribution per output token, as a matrix.", 1),
    (MATRIX_ROOT / "wide.json", "Attention of three heads over 60 tokens.", None),
]
WIDE = 2


@functools.cache
def expected_matrices() -> list[ExpectedMatrix]:
    from sphinxcontrib_attnviz.options import parse_options
    from sphinxcontrib_attnviz.readers.files import parse_read_options, read_data
    from sphinxcontrib_attnviz.visualization import visualize

    found = []
    for path, caption, twin in MATRICES:
        data = read_data(str(path), str(path), options=parse_read_options({}))
        found.append(ExpectedMatrix(caption, visualize(data, parse_options({"view": "matrix", "legend": ""})), twin))
    return found


@pytest.fixture(scope="module")
def matrix_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The matrix project built with each Sphinx theme of the variants, and its MkDocs Material
    twin, served on localhost; yields the base URL. Each build's page is ``THEME/index.html``."""
    yield from served_builds(tmp_path_factory.mktemp("matrix"), MATRIX_ROOT, MKDOCS_MATRIX_ROOT)


@pytest.fixture(scope="module", params=VARIANTS, ids=map(str, VARIANTS))
def matrix_page(request: pytest.FixtureRequest, browser, matrix_site: str) -> Iterator[Opened]:
    """The matrix page of one variant at a desktop's width, shared by the tests that read it;
    each test leaves it as it was."""
    variant = request.param
    opened = open_page(browser, f"{matrix_site}/{variant.theme}/index.html", variant, WIDTHS["desktop"])
    check_page_is_in_its_scheme(opened)
    yield opened
    opened.page.close()


#: Every matrix of a page: its name, scroll box, headers and cells, each with its text, classes,
#: colours and the colour behind it.
READ_MATRICES = f"""() => [...document.querySelectorAll('.attnviz-matrix')].map(fig => {{
  const look = e => ({{
    text: e.textContent, title: e.getAttribute('title'), classes: [...e.classList],
    background: getComputedStyle(e).backgroundColor, color: getComputedStyle(e).color,
    backdrop: ({BACKDROP})(e), visible: e.checkVisibility(),
  }});
  const scroll = fig.querySelector(':scope > .attnviz-matrix-scroll');
  return {{
    name: fig.getAttribute('aria-label'), role: fig.getAttribute('role'),
    scrollTabIndex: scroll && scroll.getAttribute('tabindex'),
    columns: [...fig.querySelectorAll('thead th[scope="col"]')].map(look),
    rows: [...fig.querySelectorAll('tbody tr')].map(tr => ({{
      head: look(tr.querySelector('th[scope="row"]')),
      cells: [...tr.querySelectorAll('td')].map(look),
    }})),
  }};
}})"""
#: Every token-view figure of a page: each row's tokens' colours.
READ_TOKEN_FIGURES = """() => [...document.querySelectorAll('.attnviz:not(.attnviz-matrix)')].map(fig =>
  [...fig.querySelectorAll('.attnviz-row')].map(row => [...row.querySelectorAll('.attnviz-token')].map(t => ({
    text: t.textContent, classes: [...t.classList],
    background: getComputedStyle(t).backgroundColor, color: getComputedStyle(t).color,
  }))))"""


def test_axe_finds_no_violation_in_the_matrices(matrix_page: Opened) -> None:
    """As test_browser.test_axe_finds_no_violation (axe-core's default rules), on the matrices:
    two uncaptioned matrices (MkDocs has no captions) included, whose scroll boxes share a name."""
    from axe_playwright_python.sync_playwright import Axe

    assert matrix_page.page.locator(".attnviz-matrix").count() == len(MATRICES), matrix_page.where("matrices")
    result = Axe().run(matrix_page.page, context=".attnviz-matrix")
    assert result.violations_count == 0, matrix_page.where(result.generate_report())


def test_cells_take_the_token_view_colours(matrix_page: Opened) -> None:
    """Every scored cell shows its palette entry's colours (the dark palette's on a dark page),
    the very colours the token view of the same data shows for the same score on the same page,
    its text at 4.5:1 or more; a missing cell has no background, says "no score" and its
    neighbours' colours are unchanged; headers take the theme's text colour, at 4.5:1."""
    from sphinxcontrib_attnviz.render import format_scores
    from sphinxcontrib_attnviz.render.matrix import column_headers, row_headers

    page, dark = matrix_page.page, matrix_page.variant.dark
    found = page.evaluate(READ_MATRICES)
    twins = page.evaluate(READ_TOKEN_FIGURES)
    body = text_colour(page)
    assert len(found) == len(MATRICES), matrix_page.where("matrices")
    missing_seen = scored_seen = 0
    for number, (matrix, want) in enumerate(zip(found, expected_matrices(), strict=True)):
        where = matrix_page.where(f"matrix {number + 1}")
        assert matrix["role"] == "figure" and matrix["name"] == want.name(matrix_page.variant), where
        assert matrix["scrollTabIndex"] == "0", where + f": the scroll box's tabindex {matrix['scrollTabIndex']!r}"
        assert [column["text"] for column in matrix["columns"]] == column_headers(want.viz), where
        assert [row["head"]["text"] for row in matrix["rows"]] == row_headers(want.viz), where
        twin = twins[want.twin] if want.twin is not None else None
        if twin is not None:
            assert len(twin) == len(want.viz.rows), where + ": the token twin's rows"
        for header in [column for column in matrix["columns"]] + [row["head"] for row in matrix["rows"]]:
            seen = rgb(header["color"], rgb(header["backdrop"]))
            ratio = contrast(seen, rgb(header["backdrop"]))
            assert seen == body, where + f": header {header['text']!r} in {seen}, the body text in {body}"
            assert ratio >= MIN_CONTRAST, (
                where + f": header {header['text']!r} at {ratio:.2f}:1 on {header['backdrop']}"
            )
        for r, (row, want_row) in enumerate(zip(matrix["rows"], want.viz.rows, strict=True)):
            palette = want.viz.dark_palette if dark else want_row.palette
            scores = format_scores(want_row.scores)
            missing = want_row.missing.tolist()
            assert len(row["cells"]) == len(missing), where + f", row {r + 1}: cells"
            for c, (cell, entry) in enumerate(zip(row["cells"], want_row.colour_index.tolist(), strict=True)):
                at = where + f", row {want_row.label!r}, column {c + 1}"
                if missing[c]:
                    missing_seen += 1
                    assert "attnviz-missing" in cell["classes"], at + f": classes {cell['classes']}"
                    assert rgba(cell["background"])[3] == 0, (
                        at + f": a missing cell has background {cell['background']}"
                    )
                    assert cell["text"] == "no score" and cell["title"] == "no score", at + f": {cell['text']!r}"
                    continue
                scored_seen += 1
                background, foreground = palette.backgrounds[entry], palette.foregrounds[entry]
                assert f"c{entry}" in cell["classes"], at + f": classes {cell['classes']}, palette entry {entry}"
                assert cell["text"] == scores[c], at + f": shows {cell['text']!r}, the score is {scores[c]}"
                assert close(rgb(cell["background"]), rgb(background), 1), (
                    at + f": background {cell['background']}, palette entry {entry} is {background}"
                )
                assert close(rgb(cell["color"]), rgb(foreground), 1), at + f": text {cell['color']}, not {foreground}"
                ratio = contrast(rgb(cell["background"]), rgb(cell["color"]))
                assert ratio >= MIN_CONTRAST, at + f": text at {ratio:.2f}:1 on {cell['background']}"
                if twin is not None:
                    token = twin[r][c]
                    assert f"c{entry}" in token["classes"], at + f": the token view's {token['classes']}"
                    assert rgb(token["background"]) == rgb(cell["background"]), (
                        at + f": cell {cell['background']}, the token view's {token['text']!r} {token['background']}"
                    )
                    assert rgb(token["color"]) == rgb(cell["color"]), (
                        at + f": cell text {cell['color']}, the token view's {token['color']}"
                    )
    assert missing_seen >= 20 and scored_seen >= 300, matrix_page.where(
        f"only {missing_seen} missing and {scored_seen} scored cells checked"
    )


def ax_tables(by_id: dict[str, dict], nodes: list[dict]) -> list[dict]:
    """Each table of Chromium's accessibility tree, in tree order: its name, the names of its
    column headers, and per row its row header's name and its cells' texts."""
    tables = []
    for node in nodes:
        if ax_value(node, "role") != "table":
            continue
        table: dict = {"name": ax_value(node, "name"), "columns": [], "rows": []}
        stack = [node]
        while stack:
            current = stack.pop()
            role = ax_value(current, "role")
            if role == "row":
                table["rows"].append({"head": None, "cells": []})
            elif role == "columnheader":
                table["columns"].append(ax_value(current, "name"))
            elif role == "rowheader":
                table["rows"][-1]["head"] = ax_value(current, "name")
            elif role in ("cell", "gridcell") and table["rows"]:
                table["rows"][-1]["cells"].append(" ".join(ax_texts(by_id, current)).strip())
            if role not in ("columnheader", "rowheader", "cell", "gridcell"):
                stack.extend(by_id[child] for child in reversed(current.get("childIds", [])) if child in by_id)
        table["rows"] = [row for row in table["rows"] if row["head"] is not None]  # the header row has none
        tables.append(table)
    return tables


def test_accessibility_tree_has_tables_with_headers(matrix_page: Opened) -> None:
    """In Chromium's accessibility tree each matrix is a table named by its caption (or "Token
    scores"), inside a group of that name (its scroll box: a group, not a region, which would be a
    landmark, and two landmarks may not share a name): a column header per token named by
    the token, a row header per row named by its label, a cell per score reading the score, a
    missing cell reading "no score"."""
    from sphinxcontrib_attnviz.render import format_scores
    from sphinxcontrib_attnviz.render.matrix import column_headers, row_headers

    by_id, nodes = ax_tree(matrix_page.page)
    tables = ax_tables(by_id, nodes)
    groups = [ax_value(node, "name") for node in nodes if ax_value(node, "role") == "group"]
    assert len(tables) == len(MATRICES), matrix_page.where(f"tables in the tree: {[t['name'] for t in tables]}")
    missing_read = 0
    for number, (table, want) in enumerate(zip(tables, expected_matrices(), strict=True)):
        where = matrix_page.where(f"matrix {number + 1} in the accessibility tree")
        name = want.name(matrix_page.variant)
        assert table["name"] == name, where + f": the table is named {table['name']!r}"
        assert name in groups, where + f": no group named {name!r} among {groups}"
        assert table["columns"] == [text.strip() for text in column_headers(want.viz)], where + f": {table['columns']}"
        assert [row["head"] for row in table["rows"]] == row_headers(want.viz), where + f": {table['rows']}"
        for row, want_row in zip(table["rows"], want.viz.rows, strict=True):
            scores, missing = format_scores(want_row.scores), want_row.missing.tolist()
            wanted = ["no score" if gone else score for score, gone in zip(scores, missing, strict=True)]
            assert row["cells"] == wanted, where + f", row {row['head']!r}: reads {row['cells']}"
            missing_read += sum(missing)
    assert missing_read >= 20, matrix_page.where(f"only {missing_read} missing cells read")


#: Records each element that gets focus: the index of the matrix scroll box it is (-1: none).
SCROLL_FOCUS_LOG = """() => {
  window.__attnvizScrollFocus = [];
  document.addEventListener('focusin', event => {
    const boxes = [...document.querySelectorAll('.attnviz-matrix-scroll')];
    window.__attnvizScrollFocus.push(boxes.indexOf(event.target));
  }, true);
}"""
#: The focused element's outline, as drawn.
FOCUS_OUTLINE = """() => { const style = getComputedStyle(document.activeElement);
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor,
          focusVisible: document.activeElement.matches(':focus-visible'), backdrop: (%s)(document.activeElement)}; }"""


def test_tab_reaches_each_scroll_box(matrix_page: Opened) -> None:
    """Tab from the top of the page reaches each matrix's scroll box in turn, each once a round,
    and shows it focused (an outline of 1px or more, at 3:1 against the page)."""
    page = matrix_page.page
    page.evaluate(FOCUS_TOP)
    page.evaluate(SCROLL_FOCUS_LOG)
    outlines = []
    try:
        for _ in range(300):
            page.keyboard.press("Tab")
            log = page.evaluate("() => window.__attnvizScrollFocus")
            if log and log[-1] >= 0:
                outlines.append(page.evaluate(FOCUS_OUTLINE % BACKDROP))
            if log and log[-1] == len(MATRICES) - 1:
                break
    finally:
        page.evaluate("() => { document.activeElement?.blur(); document.getElementById('attnviz-top')?.remove(); }")
    reached = [box for box in log if box >= 0]
    assert reached == list(range(len(MATRICES))), matrix_page.where(
        f"scroll boxes reached by Tab, in order: {reached} after {len(log)} presses"
    )
    for number, outline in enumerate(outlines):
        where = matrix_page.where(f"matrix {number + 1}: focused scroll box's outline {outline}")
        assert outline["focusVisible"], where
        assert outline["style"] not in ("none", "hidden") and outline["width"] >= 1, where
        ratio = contrast(rgb(outline["color"], rgb(outline["backdrop"])), rgb(outline["backdrop"]))
        assert ratio >= 3, where + f": {ratio:.2f}:1"


#: The page's and each matrix scroll box's widths, and the boxes' right edges.
WIDTHS_JS = """() => ({
  page: [document.documentElement.scrollWidth, window.innerWidth, window.scrollX],
  boxes: [...document.querySelectorAll('.attnviz-matrix-scroll')].map(box => ({
    scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, scrollLeft: box.scrollLeft,
    right: box.getBoundingClientRect().right, tabIndex: box.tabIndex,
  })),
})"""


def test_wide_matrix_scrolls_in_its_own_box_on_a_phone(matrix_page: Opened) -> None:
    """At a phone's width (375 px) the page does not scroll sideways; the 60-column matrix's box
    does, stays inside the page, and scrolls from the keyboard once focused; a figure drawn as
    an image fits the page. (The shared page is
    narrowed to a phone's width, then widened back.)"""
    page, width = matrix_page.page, WIDTHS["phone"]
    where = functools.partial(Opened.where, replace(matrix_page, width=width))
    page.set_viewport_size({"width": width, "height": 900})
    try:
        page.wait_for_function("w => window.innerWidth === w", arg=width)
        before = page.evaluate(WIDTHS_JS)
        scroll_width, inner_width, _ = before["page"]
        assert scroll_width <= inner_width, where(f"the page scrolls sideways: {scroll_width} > {inner_width}")
        wide = before["boxes"][WIDE]
        assert wide["scrollWidth"] > wide["clientWidth"] + 500, where(f"the wide box does not scroll: {wide}")
        for number, box in enumerate(before["boxes"]):
            assert box["right"] <= inner_width + 0.5, where(f"matrix {number + 1}'s box ends at {box['right']}")
            assert box["tabIndex"] == 0, where(f"matrix {number + 1}'s box tabIndex {box['tabIndex']}")
        images = page.evaluate(
            "() => [...document.querySelectorAll('img.attnviz-image')].map(i => i.getBoundingClientRect().right)"
        )
        if matrix_page.variant.sphinx:  # a figure drawn as an image (:image:) shrinks to the page
            assert images and all(right <= inner_width + 0.5 for right in images), where(f"images end at {images}")
        box = page.locator(".attnviz-matrix-scroll").nth(WIDE)
        box.scroll_into_view_if_needed()
        box.focus()
        assert page.evaluate("() => document.activeElement.classList.contains('attnviz-matrix-scroll')"), where(
            "the wide box takes no focus"
        )
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "n => document.querySelectorAll('.attnviz-matrix-scroll')[n].scrollLeft > 0", arg=WIDE, timeout=3000
        )
        after = page.evaluate(WIDTHS_JS)
        assert after["boxes"][WIDE]["scrollLeft"] > 0, where(f"ArrowRight left the box at {after['boxes']}")
        assert after["page"][2] == 0, where(f"the page itself scrolled sideways to {after['page'][2]}")
        assert after["page"][0] <= after["page"][1], where(f"the page scrolls sideways: {after['page']}")
    finally:
        page.evaluate("() => document.activeElement?.blur()")
        page.eval_on_selector_all(".attnviz-matrix-scroll", "(boxes, n) => { boxes[n].scrollLeft = 0; }", WIDE)
        page.set_viewport_size({"width": matrix_page.width, "height": 900})
