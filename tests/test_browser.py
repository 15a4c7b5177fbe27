"""What a real browser shows and runs, in the themes people use, light and dark.

Drives Debian's Chromium through Python playwright (``executable_path``; never
``playwright install``). Without Chromium, playwright or poppler's pdftoppm these tests
skip, except under ``CI=true``, where that is a failure.

The themes test project (``tests/roots/test-themes``) is built once per theme, and its
MkDocs Material twin (``tests/roots/mkdocs-themes``) once; each theme variant (a theme and
the colour scheme the browser asks for) is opened at a phone's and a desktop's width, one
index page per variant and width shared by the tests that read it. They check, against the
package's own pipeline: the figures' markup and names; every token's colour (light or dark
palette) and its text's contrast; that contrast against the page rises with the score's
emphasis; label and legend colours; aligned rows and hanging indents; Tab, focus and the
scores shown on focus; Chromium's accessibility tree; axe-core; forced colours; no sideways
scrolling of the page (a 200-character token too); and, per variant, print to PDF with the
browser's default settings. Hostile tokens, subword pieces and spaces have their own pages.
"""

from __future__ import annotations

import base64
import functools
import http.server
import io
import itertools
import math
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sphinx.cmd.build import build_main

from pages import ROOTS

sys.path.insert(0, str(ROOTS.parent.parent / "scripts"))
from browser import CHROMIUM, launch

THEMES_ROOT = ROOTS / "test-themes"
MKDOCS_ROOT = ROOTS / "mkdocs-themes"
#: The build of tests/roots/mkdocs-themes, served next to the Sphinx themes' builds.
MATERIAL = "material"


@dataclass(frozen=True)
class Variant:
    """A theme (a Sphinx html_theme, or MkDocs Material) and the colour scheme the browser asks for.

    furo, pydata-sphinx-theme, sphinx-book-theme and the Material project follow the
    browser's scheme by default; alabaster and sphinx_rtd_theme are light only.
    """

    theme: str
    scheme: str

    @property
    def dark(self) -> bool:
        return self.scheme == "dark"

    @property
    def sphinx(self) -> bool:
        return self.theme != MATERIAL

    def __str__(self) -> str:
        return f"{self.theme}-{self.scheme}"


VARIANTS = [
    Variant("alabaster", "light"),
    Variant("sphinx_rtd_theme", "light"),
    Variant("furo", "light"),
    Variant("furo", "dark"),
    Variant("pydata_sphinx_theme", "light"),
    Variant("pydata_sphinx_theme", "dark"),
    Variant("sphinx_book_theme", "light"),
    Variant("sphinx_book_theme", "dark"),
    Variant(MATERIAL, "light"),
    Variant(MATERIAL, "dark"),
]
#: Phone and desktop widths (CSS px).
WIDTHS = {"phone": 375, "desktop": 1280}
SCREENSHOTS = Path(os.environ["ATTNVIZ_SCREENSHOTS"]) if os.environ.get("ATTNVIZ_SCREENSHOTS") else None


def require(condition: bool, message: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed")
    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The themes test project built with each theme, and its MkDocs Material twin, served on
    localhost; yields the base URL. Each build is in ``THEME/``, its pages ``THEME/NAME.html``."""
    yield from served_builds(tmp_path_factory.mktemp("themes"), THEMES_ROOT, MKDOCS_ROOT)


def served_builds(out: Path, sphinx_root: Path, mkdocs_root: Path) -> Iterator[str]:
    """``sphinx_root`` built with each Sphinx theme of the variants into ``out/THEME`` and
    ``mkdocs_root`` with MkDocs Material into ``out/MATERIAL`` (at the same time), served on
    localhost until the generator is closed; yields the base URL."""
    config, site_dir = str(mkdocs_root / "mkdocs.yml"), str(out / MATERIAL)
    mkdocs = subprocess.Popen(  # meanwhile, Sphinx builds in this process
        [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", config, "-d", site_dir],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ | {"NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"},
    )
    for theme in sorted({variant.theme for variant in VARIANTS if variant.sphinx}):
        doctrees = str(out / "doctrees" / theme)
        arguments = ["-q", "-W", "-b", "html", "-d", doctrees, "-D", f"html_theme={theme}"]
        status = build_main([*arguments, str(sphinx_root), str(out / theme)])
        assert status == 0, theme
    output, _ = mkdocs.communicate(timeout=120)
    assert mkdocs.returncode == 0, output
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


# Colours ---------------------------------------------------------------------------------------

Rgb = tuple[int, int, int]


def rgba(css: str) -> tuple[float, float, float, float]:
    """``rgb(1, 2, 3)``, ``rgba(1, 2, 3, 0.5)`` (the first in ``css``) or ``#010203`` as (r, g, b, alpha)."""
    if css.startswith("#"):
        return (*(int(css[i : i + 2], 16) for i in (1, 3, 5)), 1.0)  # type: ignore[return-value]
    function = re.search(r"rgba?\([^)]*\)", css)
    assert function, css
    parts = [float(part) for part in re.findall(r"[\d.]+", function[0])]
    return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0


def rgb(css: str, backdrop: Rgb = (255, 255, 255)) -> Rgb:
    """A CSS colour as an opaque (r, g, b): a translucent one drawn over ``backdrop``."""
    r, g, b, alpha = rgba(css)
    return tuple(round(alpha * c + (1 - alpha) * d) for c, d in zip((r, g, b), backdrop, strict=True))  # type: ignore[return-value]


def luminance(colour: Rgb) -> float:
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: Rgb, b: Rgb) -> float:
    """WCAG 2.x contrast ratio."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def close(a: Rgb, b: Rgb, tolerance: int = 2) -> bool:
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) <= tolerance


def ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(a: list[float], b: list[float]) -> float:
    """Spearman's rank correlation (Pearson's of the ranks, ties averaged)."""
    x, y = np.array(ranks(a)), np.array(ranks(b))
    x, y = x - x.mean(), y - y.mean()
    return float((x @ y) / math.sqrt((x @ x) * (y @ y)))


#: The colour an element is seen against: its ancestors' backgrounds, translucent ones
#: composited, down to the first opaque one (white when none is).
BACKDROP = """e => {
  const layers = [];
  for (let node = e; node; node = node.parentElement) {
    const parts = (getComputedStyle(node).backgroundColor.match(/[\\d.]+/g) || []).map(Number);
    const alpha = parts.length > 3 ? parts[3] : 1;
    if (alpha > 0) layers.push([parts[0], parts[1], parts[2], alpha]);
    if (alpha >= 1) break;
  }
  let colour = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) colour = [r, g, b].map((c, i) => a * c + (1 - a) * colour[i]);
  return `rgb(${colour.map(Math.round).join(', ')})`;
}"""


# What the index page should show, from the package's own pipeline --------------------------------


@dataclass(frozen=True)
class ExpectedFigure:
    """One figure of index.rst / index.md: its accessible name, layout and colours."""

    caption: str | None
    layout: str
    viz: Any  # sphinxcontrib_attnviz.visualization.Visualization

    def name(self, variant: Variant) -> str:
        """The figure's accessible name: the Sphinx caption, else "Token scores" (MkDocs has no caption)."""
        return self.caption if self.caption and variant.sphinx else "Token scores"

    @property
    def centred(self) -> bool:
        return self.viz.scale.center is not None

    def emphasis(self) -> list[float]:
        """Each token's emphasis, row after row: its position on the colour scale, clipped to
        [0, 1]; on a centred scale its distance from the centre."""
        values: list[float] = []
        for row in self.viz.rows:
            positions = np.clip(self.viz.scale.positions(row.scores), 0.0, 1.0)
            values += (np.abs(positions - 0.5) if self.centred else positions).tolist()
        return values

    def colours(self, dark: bool) -> list[tuple[int, str, str]]:
        """Each token's palette entry, background and text colour, row after row."""
        found = []
        for row in self.viz.rows:
            palette = self.viz.dark_palette if dark else row.palette
            for index in row.colour_index.tolist():
                found.append((index, palette.backgrounds[index], palette.foregrounds[index]))
        return found


LAYERS = {"data": "layers.json", "rows": "layer_1, layer_3, layer_6", "scale-ignore": "[CLS], [SEP]", "legend": ""}
#: The figures of index.rst (and index.md), in order: caption and options as written there.
INDEX_FIGURES = [
    ("[CLS] attention in three layers.", LAYERS),
    ("The same, in the flow layout.", {**LAYERS, "layout": "flow"}),
    (
        None,
        {
            "tokens": "review_saliency.tokens",
            "scores": "review_saliency.scores",
            "center": "0",
            "legend": "",
            "subwords": "wordpiece",
        },
    ),
]


@functools.cache
def index_figures() -> list[ExpectedFigure]:
    from sphinxcontrib_attnviz.options import parse_options
    from sphinxcontrib_attnviz.sources import read_named_files
    from sphinxcontrib_attnviz.visualization import visualize

    expected = []
    for caption, options in INDEX_FIGURES:
        data = read_named_files(
            data_file=options.get("data"),
            tokens=options.get("tokens"),
            text=None,
            scores=options.get("scores"),
            resolve=lambda name: (name, THEMES_ROOT / name),
        )
        chosen = {name: value for name, value in options.items() if name not in ("data", "tokens", "scores")}
        viz = visualize(data, parse_options(chosen))
        expected.append(ExpectedFigure(caption, viz.layout, viz))
    return expected


# Reading pages ------------------------------------------------------------------------------------

#: Every figure of a page: its name, classes, backdrop, rows (label, tokens with their colours and
#: boxes), the legend bar's box and background.
FIGURES = f"""() => [...document.querySelectorAll('.attnviz')].map(fig => {{
  const box = r => ({{left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height}});
  const rows = fig.querySelector(':scope > .attnviz-rows');
  const bar = fig.querySelector('.attnviz-legend-bar');
  return {{
    name: fig.getAttribute('aria-label'), role: fig.getAttribute('role'), classes: [...fig.classList],
    backdrop: ({BACKDROP})(fig), box: box(fig.getBoundingClientRect()),
    rowsBox: rows && box(rows.getBoundingClientRect()),
    rowsTabIndex: rows && rows.getAttribute('tabindex'),
    rows: [...fig.querySelectorAll('.attnviz-row')].map(row => ({{
      label: row.querySelector('.attnviz-label')?.textContent ?? null,
      tokens: [...row.querySelectorAll('.attnviz-token')].map(t => ({{
        text: t.textContent, title: t.title, classes: [...t.classList], style: t.getAttribute('style'),
        background: getComputedStyle(t).backgroundColor, color: getComputedStyle(t).color,
        box: box(t.getBoundingClientRect()), rects: [...t.getClientRects()].map(box),
        decoration: getComputedStyle(t).textDecorationLine,
      }})),
    }})),
    bar: bar && {{box: box(bar.getBoundingClientRect()), image: getComputedStyle(bar).backgroundImage}},
    darkNote: [...fig.querySelectorAll('.attnviz-legend .attnviz-dark-only')].some(e => e.checkVisibility()),
  }};
}})"""


@dataclass
class Opened:
    """A page opened in a variant at a width, with every request it made and dialog it opened."""

    page: Any
    variant: Variant
    width: int
    origin: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def where(self, what: str) -> str:
        return f"{what} [{self.variant}, {self.width} px]"


def open_page(browser, url: str, variant: Variant, width: int = 1280, **options: object) -> Opened:
    """``url`` in a new page (its own context: no state shared) asking for the variant's scheme;
    ``options`` go to ``browser.new_page``."""
    page = browser.new_page(color_scheme=variant.scheme, viewport={"width": width, "height": 900}, **options)
    opened = Opened(page, variant, width, "/".join(url.split("/", 3)[:3]))
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)  # until the load event: every stylesheet and script has run
    page.evaluate("() => document.fonts.ready.then(() => true)")  # web fonts too, which move the boxes
    return opened


PAGE_PARAMS = [(variant, width) for variant in VARIANTS for width in WIDTHS.values()]


@pytest.fixture(scope="module", params=PAGE_PARAMS, ids=[f"{v}-{w}" for v, w in PAGE_PARAMS])
def index(request: pytest.FixtureRequest, browser, site: str) -> Iterator[Opened]:
    """The index page (the layers figure, aligned and flow, and the centred saliency figure) of
    one variant at one width, shared by the tests that read it; each test leaves it as it was."""
    variant, width = request.param
    opened = open_page(browser, f"{site}/{variant.theme}/index.html", variant, width)
    check_page_is_in_its_scheme(opened)
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        opened.page.screenshot(path=str(SCREENSHOTS / f"{variant}-{width}.png"), full_page=True)
    yield opened
    opened.page.close()


def text_colour(page) -> Rgb:
    """The colour of the page's body text (the paragraph before the first figure), as seen."""
    found = page.evaluate(
        f"""() => {{
        const p = [...document.querySelectorAll('p')].find(p => p.textContent.startsWith('Attention per layer'));
        return [getComputedStyle(p).color, ({BACKDROP})(p)];
      }}"""
    )
    return rgb(found[0], rgb(found[1]))


def png_pixels(png: bytes) -> np.ndarray:
    """A PNG's pixels as an (height, width, 3) array."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(np.int16)


def box_colour(pixels: np.ndarray, box: dict[str, float], inset: int = 2) -> Rgb:
    """The most frequent colour inside a box (px): its background, which its text covers less of."""
    x0, y0 = math.ceil(box["left"]) + inset, math.ceil(box["top"]) + inset
    x1, y1 = math.floor(box["right"]) - inset, math.floor(box["bottom"]) - inset
    region = pixels[max(y0, 0) : y1, max(x0, 0) : x1].reshape(-1, 3)
    assert len(region), box
    colours, counts = np.unique(region, axis=0, return_counts=True)
    return tuple(int(c) for c in colours[counts.argmax()])  # type: ignore[return-value]


def pixel(pixels: np.ndarray, x: float, y: float) -> Rgb:
    return tuple(int(c) for c in pixels[int(y), int(x)])  # type: ignore[return-value]


def gradient_at(stops: tuple[str, ...], position: float) -> Rgb:
    """A CSS linear-gradient of evenly spaced ``stops`` at ``position`` in [0, 1] (sRGB interpolation)."""
    scaled = position * (len(stops) - 1)
    index = min(int(scaled), len(stops) - 2)
    fraction = scaled - index
    a, b = rgb(stops[index]), rgb(stops[index + 1])
    return tuple(round(x + (y - x) * fraction) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def scroll_to_figure(page, number: int) -> None:
    """The page scrolled (at once: some themes scroll smoothly) to put figure ``number`` mid-screen."""
    page.eval_on_selector_all(
        ".attnviz", "(figs, n) => figs[n].scrollIntoView({block: 'center', behavior: 'instant'})", number
    )


#: Scrolls the element (a figure's n-th match of a selector) into view, its scroller too, and waits
#: for the frame that shows it there; its box.
SHOWN = """async (figs, [number, selector, nth]) => {
  const element = figs[number].querySelectorAll(selector)[nth];
  element.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const r = element.getBoundingClientRect();
  return {x: r.left, y: r.top, width: r.width, height: r.height};
}"""


def shown(page, number: int, selector: str, nth: int = 0) -> dict[str, float]:
    """The box (a screenshot's clip) of the ``nth`` match of ``selector`` in figure ``number``,
    scrolled into view."""
    return page.eval_on_selector_all(".attnviz", SHOWN, [number, selector, nth])


def tokens_of(figure: dict) -> list[dict]:
    return [token for row in figure["rows"] for token in row["tokens"]]


def check_page_is_in_its_scheme(opened: Opened) -> None:
    """A dark variant's page really is dark (light body text), a light one light: so that no
    test passes because a theme ignored the browser's scheme."""
    colour = text_colour(opened.page)
    light_text = contrast(colour, (0, 0, 0)) > contrast(colour, (255, 255, 255))
    assert light_text == opened.variant.dark, opened.where(f"page scheme: body text is {colour}")


# The index page, per variant and width -------------------------------------------------------------


def test_figures_match_the_contract(index: Opened) -> None:
    """Each figure: role figure named by its caption (or "Token scores"), one Tab stop holding its
    rows, the layout asked for, and the tokens of the package's own pipeline, row by row; the
    legend says ", dark variant" on dark pages only."""
    found = index.page.evaluate(FIGURES)
    expected = index_figures()
    assert len(found) == len(expected), index.where("figures")
    for number, (figure, want) in enumerate(zip(found, expected, strict=True)):
        where = index.where(f"figure {number + 1}")
        assert figure["role"] == "figure" and figure["name"] == want.name(index.variant), where
        assert f"attnviz-{want.layout}" in figure["classes"], where
        assert figure["rowsTabIndex"] == "0", where
        assert [row["label"] for row in figure["rows"]] == [row.label for row in want.viz.rows], where
        assert [[t["text"] for t in row["tokens"]] for row in figure["rows"]] == [
            list(want.viz.display.texts) for _ in want.viz.rows
        ], where
        assert figure["darkNote"] == index.variant.dark, where + f": legend's dark note shown: {figure['darkNote']}"
    assert [url for url in index.requests if not url.startswith(index.origin)] == [], index.where("other hosts")


def test_token_colours_and_text_contrast(index: Opened) -> None:
    """Every token shows its palette entry's colour (the dark variant's on a dark page) through the
    class cN, and its text reaches 4.5:1 against its box; a clipped score is underlined (in the
    text colour); the legend bar's gradient is the light or the dark one."""
    found = index.page.evaluate(FIGURES)
    for number, (figure, want) in enumerate(zip(found, index_figures(), strict=True)):
        tokens = tokens_of(figure)
        colours = want.colours(index.variant.dark)
        clipped = [flag for row in want.viz.rows for flag in row.clipped.tolist()]
        assert len(tokens) == len(colours), index.where(f"figure {number + 1}: tokens")
        assert any(clipped) or number == 2, index.where(f"figure {number + 1}: no clipped token to check")
        for token, (entry, background, foreground), is_clipped in zip(tokens, colours, clipped, strict=True):
            where = index.where(f"figure {number + 1}, token {token['text']!r} ({token['title']})")
            assert f"c{entry}" in token["classes"], where
            assert close(rgb(token["background"]), rgb(background), 1), (
                where + f": background {token['background']}, palette entry {entry} is {background}"
            )
            assert close(rgb(token["color"]), rgb(foreground), 1), where + f": text {token['color']}, not {foreground}"
            ratio = contrast(rgb(token["background"]), rgb(token["color"]))
            assert ratio >= 4.5, where + f": text contrast {ratio:.2f}:1 on its box"
            assert token["style"] is None, where + f": inline style {token['style']!r}"
            assert ("attnviz-clipped" in token["classes"]) == is_clipped, where + ": class attnviz-clipped"
            assert (token["decoration"] == "underline") == is_clipped, where + f": decoration {token['decoration']!r}"
        stops = want.viz.legend.dark_stops if index.variant.dark else want.viz.legend.stops
        drawn = [rgb(colour) for colour in re.findall(r"rgba?\([^)]*\)", figure["bar"]["image"])]
        assert len(drawn) == len(stops) and all(
            close(seen, rgb(stop), 1) for seen, stop in zip(drawn, stops, strict=True)
        ), index.where(f"figure {number + 1}: legend bar {figure['bar']['image']}, not the stops {stops}")


def test_contrast_with_the_page_rises_with_emphasis(index: Opened) -> None:
    """Per figure, the contrast of a token's box against the page behind the figure ranks as the
    token's emphasis (colour-scale position; on a centred scale, distance from the centre):
    Spearman >= 0.9. On a dark page the strong tokens are the bright ones."""
    found = index.page.evaluate(FIGURES)
    failures = []
    for number, (figure, want) in enumerate(zip(found, index_figures(), strict=True)):
        backdrop = rgb(figure["backdrop"])
        contrasts = [contrast(rgb(token["background"]), backdrop) for token in tokens_of(figure)]
        emphasis = want.emphasis()
        rho = spearman(contrasts, emphasis)
        if rho < 0.9:
            weakest = contrasts[emphasis.index(min(emphasis))]
            lowest = min(range(len(contrasts)), key=contrasts.__getitem__)
            token = tokens_of(figure)[lowest]
            failures.append(
                f"figure {number + 1}: Spearman {rho:.3f} < 0.9 against the page {backdrop}; the weakest token "
                f"{weakest:.2f}:1, the least contrasting {token['text']!r} ({token['background']}, emphasis "
                f"{emphasis[lowest]:.3f}) {contrasts[lowest]:.2f}:1, the strongest {max(contrasts):.2f}:1"
            )
    assert not failures, index.where("contrast rising with emphasis: " + "; ".join(failures))


def test_labels_and_legend_read_in_the_theme_colours(index: Opened) -> None:
    """Row labels and legend text take the theme's text colour, captions keep the theme's caption
    style; all reach 4.5:1 on what is behind them."""
    body = text_colour(index.page)
    checks = [(".attnviz-label", True), (".attnviz-legend-label", True), (".attnviz-legend-name", True)]
    if index.variant.sphinx:
        checks.append(("figcaption .caption-text", False))
    for selector, same_as_text in checks:
        found = index.page.eval_on_selector_all(
            selector,
            f"els => els.filter(e => e.checkVisibility()).map(e => [getComputedStyle(e).color, ({BACKDROP})(e)])",
        )
        assert found, index.where(selector)
        for colour, backdrop in found:
            seen = rgb(colour, rgb(backdrop))
            assert seen == body or not same_as_text, index.where(f"{selector}: {seen}, body text {body}")
            ratio = contrast(seen, rgb(backdrop))
            assert ratio >= 4.5, index.where(f"{selector}: {ratio:.2f}:1 on {backdrop}")


def test_rows_align_or_wrap_under_their_first_token(index: Opened) -> None:
    """aligned: token i has the same x in every row, each row on one line (the rows scroll
    sideways when wider than the page); flow: every line of a row starts under its first token."""
    page = index.page
    for number, want in enumerate(index_figures()):
        if len(want.viz.rows) < 2:
            continue
        scroll_to_figure(page, number)
        figure = page.evaluate(FIGURES)[number]
        where = index.where(f"figure {number + 1} ({want.layout})")
        rows = [row["tokens"] for row in figure["rows"]]
        firsts = [row[0]["box"]["left"] for row in rows]
        assert max(firsts) - min(firsts) <= 1, where + f": rows start at {firsts}"
        if want.layout == "aligned":
            for i, column in enumerate(zip(*rows, strict=True)):
                lefts = [token["box"]["left"] for token in column]
                assert max(lefts) - min(lefts) <= 1, where + f": token {i} ({column[0]['text']!r}) at x {lefts}"
            for row in rows:
                tops = [token["box"]["top"] for token in row]
                assert max(tops) - min(tops) <= 1, where + f": a row breaks over lines, tops {tops}"
            if index.width < 1000:  # wider than a phone: the rows scroll sideways, themselves
                scroll = page.eval_on_selector_all(
                    ".attnviz-rows", "(rows, n) => [rows[n].scrollWidth, rows[n].clientWidth]", number
                )
                assert scroll[0] > scroll[1], where + f": the rows do not scroll sideways: {scroll}"
        else:
            wrapped = False
            for row in rows:
                first = row[0]["box"]
                for token in row:
                    for rect in token["rects"]:
                        assert rect["left"] >= first["left"] - 0.5, (
                            where + f": {token['text']!r} at x {rect['left']} left of the row's first token at "
                            f"{first['left']}"
                        )
                lines = {}
                for token in row:
                    lines.setdefault(round(token["box"]["top"]), []).append(token["box"]["left"])
                wrapped |= len(lines) > 1
                for top, lefts in lines.items():
                    assert abs(min(lefts) - first["left"]) <= 1, (
                        where + f": the line at y {top} starts at x {min(lefts)}, its row's first token at "
                        f"{first['left']}"
                    )
            assert wrapped or index.width > 1000, where + ": no row wraps on a phone"


#: Records every element that gets focus: the index of the figure it is in (-1: none) and whether
#: it is that figure's div.attnviz-rows.
FOCUS_LOG = """() => {
  window.__attnvizFocus = [];
  document.addEventListener('focusin', event => {
    const figures = [...document.querySelectorAll('.attnviz')];
    const target = event.target;
    window.__attnvizFocus.push({
      figure: figures.findIndex(figure => figure.contains(target)),
      rows: target.classList.contains('attnviz-rows'),
      what: target.tagName + '.' + target.className,
    });
  }, true);
}"""
#: Puts the sequential focus navigation starting point at the top of the page (a focused element
#: out of the tab order, before everything else).
FOCUS_TOP = """() => {
  window.scrollTo({top: 0, behavior: 'instant'});
  const top = document.createElement('span');
  top.id = 'attnviz-top';
  top.tabIndex = -1;
  document.body.prepend(top);
  top.focus();
}"""
#: How many elements before each figure's rows a Tab can reach (DOM order; visible, not disabled,
#: tabindex >= 0, links, form controls).
TABBABLE_BEFORE = """() => {
  const all = [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable="true"]')]
    .filter(e => e.tabIndex >= 0 && !e.disabled && !e.closest('[inert]')
      && e.checkVisibility({visibilityProperty: true}));
  return [...document.querySelectorAll('.attnviz-rows')].map(rows =>
    all.filter(e => e.compareDocumentPosition(rows) & Node.DOCUMENT_POSITION_FOLLOWING).length);
}"""
#: Per figure, its first row's tokens: width and how the score (::after) is laid out.
SCORE_BOXES = """(figs, number) => [...figs[number].querySelector('.attnviz-row').querySelectorAll('.attnviz-token')]
  .map(t => ({width: t.getBoundingClientRect().width, position: getComputedStyle(t, '::after').position,
              content: getComputedStyle(t, '::after').content}))"""


def test_keyboard_reaches_each_figure_and_shows_its_scores(index: Opened) -> None:
    """Tab from the top of the page reaches each figure's rows (one stop per figure, in order,
    within as many presses as there are tabbable elements before it); while the rows have focus
    the scores show after the tokens, and they do not otherwise."""
    page = index.page
    page.evaluate(FOCUS_TOP)
    page.evaluate(FOCUS_LOG)
    bounds = page.evaluate(TABBABLE_BEFORE)
    figures = len(bounds)
    presses = 0
    try:
        while presses < max(bounds) + 20:
            for _ in range(10):
                page.keyboard.press("Tab")
            presses += 10
            log = page.evaluate("() => window.__attnvizFocus")
            if sum(entry["rows"] for entry in log) >= figures and log[-1]["figure"] == -1:
                break
        log = page.evaluate("() => window.__attnvizFocus")
    finally:
        page.evaluate("() => { document.activeElement?.blur(); document.getElementById('attnviz-top')?.remove(); }")
    seen: set[int] = set()
    for end, entry in enumerate(log):
        if entry["figure"] in seen:  # round again, from the browser's own controls to the top
            log = log[:end]
            break
        if entry["figure"] >= 0:
            seen.add(entry["figure"])
    reached = [(step + 1, entry["figure"]) for step, entry in enumerate(log) if entry["figure"] >= 0]
    where = index.where(f"Tab order {[(step, entry['what']) for step, entry in enumerate(log, 1)][:60]}")
    assert [figure for _, figure in reached] == list(range(figures)), where
    for step, entry in enumerate(log, 1):
        if entry["figure"] >= 0:
            assert entry["rows"], index.where(f"Tab stop {step} inside figure {entry['figure'] + 1}: {entry['what']}")
    for (step, figure), bound in zip(reached, bounds, strict=True):
        assert step <= bound + 1, index.where(
            f"figure {figure + 1} reached after {step} Tab presses, with {bound} tabbable elements before it"
        )

    for number in range(figures):
        where = index.where(f"figure {number + 1}")
        unfocused = page.eval_on_selector_all(".attnviz", SCORE_BOXES, number)
        if number == 0:  # a click (or a tap) on a token gives the rows focus too
            page.locator(".attnviz").first.locator(".attnviz-token").first.click()
            focus = page.evaluate("() => document.activeElement.className")
            assert "attnviz-rows" in focus, where + f": a click on a token focuses {focus!r}"
        else:
            page.eval_on_selector_all(".attnviz-rows", "(rows, n) => rows[n].focus()", number)
        focused = page.eval_on_selector_all(".attnviz", SCORE_BOXES, number)
        page.evaluate("() => document.activeElement.blur()")
        for before, after in zip(unfocused, focused, strict=True):
            assert before["position"] == "absolute" and after["position"] == "static", (
                where + f": the score's position {before['position']} unfocused, {after['position']} focused"
            )
            assert after["width"] > before["width"] + 5, (
                where + f": token width {before['width']:.1f} unfocused, {after['width']:.1f} focused"
            )
            assert after["content"] not in ("", "none", "normal"), where + f": ::after content {after['content']!r}"


def ax_tree(page) -> tuple[dict[str, dict], list[dict]]:
    """Chromium's accessibility tree (CDP): nodes by id, and every node."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    return {node["nodeId"]: node for node in nodes}, nodes


def ax_value(node: dict, key: str) -> str:
    return str(node.get(key, {}).get("value", ""))


def ax_texts(by_id: dict[str, dict], node: dict) -> list[str]:
    """The text of every StaticText node under ``node``."""
    texts = []
    stack = [node]
    while stack:
        current = stack.pop()
        if ax_value(current, "role") == "StaticText":
            texts.append(ax_value(current, "name").strip())
        stack.extend(by_id[child] for child in reversed(current.get("childIds", [])) if child in by_id)
    return texts


def test_accessibility_tree_names_figures_and_reads_scores(index: Opened) -> None:
    """In Chromium's accessibility tree each figure is a figure named by its caption (or "Token
    scores"), and holds every token's text and score (title), which screen readers read out."""
    by_id, nodes = ax_tree(index.page)
    candidates = [node for node in nodes if ax_value(node, "role") == "figure" and ax_value(node, "name")]
    for number, figure in enumerate(index.page.evaluate(FIGURES)):
        where = index.where(f"figure {number + 1} {figure['name']!r}")
        named = [node for node in candidates if ax_value(node, "name") == figure["name"]]
        assert named, where + f": no figure of that name among {[ax_value(n, 'name') for n in candidates]}"
        wanted = [piece for token in tokens_of(figure) for piece in (token["text"].strip(), token["title"].strip())]
        missing = None
        for node in named:
            texts = set(ax_texts(by_id, node))
            missing = [text for text in wanted if text and text not in texts]
            if not missing:
                candidates.remove(node)
                break
        assert not missing, where + f": the tree lacks {missing[:6]}"


def test_axe_finds_no_violation(index: Opened) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(index.page, context=".attnviz")
    assert result.violations_count == 0, index.where(result.generate_report())


def test_forced_colours_keep_the_scores_apart(index: Opened) -> None:
    """Under forced colours (Windows high contrast) tokens keep their colours, so the highest and
    the lowest score still differ, on screen too, and the legend bar keeps its gradient."""
    page = index.page
    normal = page.evaluate(FIGURES)
    page.emulate_media(forced_colors="active")
    try:
        assert page.evaluate("() => matchMedia('(forced-colors: active)').matches"), index.where("forced colours")
        for number, want in enumerate(index_figures()):
            where = index.where(f"forced colours, figure {number + 1}")
            figure = page.evaluate(FIGURES)[number]
            tokens = tokens_of(figure)
            before = [token["background"] for token in tokens_of(normal[number])]
            assert [token["background"] for token in tokens] == before, where + ": token colours changed"
            emphasis = want.emphasis()
            ends = [emphasis.index(min(emphasis)), emphasis.index(max(emphasis))]
            low, high = (tokens[end] for end in ends)
            assert rgb(low["background"]) != rgb(high["background"]), where + f": {low['background']} both"
            for end in ends:
                token = tokens[end]
                ratio = contrast(rgb(token["background"]), rgb(token["color"]))
                assert ratio >= 4.5, where + f": {token['text']!r} text at {ratio:.2f}:1"
                pixels = png_pixels(page.screenshot(clip=shown(page, number, ".attnviz-token", end)))
                seen = box_colour(pixels, {"left": 0, "top": 0, "right": pixels.shape[1], "bottom": pixels.shape[0]})
                assert close(seen, rgb(token["background"]), 3), where + f": {token['text']!r} drawn {seen}"
            bar = figure["bar"]
            assert "gradient" in bar["image"], where + f": legend bar {bar['image']}"
            pixels = png_pixels(page.screenshot(clip=shown(page, number, ".attnviz-legend-bar")))
            height, width = pixels.shape[:2]
            drawn = [pixel(pixels, width * position, height / 2) for position in (0.05, 0.95)]
            assert not close(*drawn, 40), where + f": legend bar ends drawn {drawn}"
        page.evaluate("() => document.querySelectorAll('.attnviz-rows').forEach(rows => { rows.scrollLeft = 0; })")
    finally:
        page.emulate_media(forced_colors="none")


def test_no_sideways_scrolling_of_the_page(index: Opened, browser, site: str) -> None:
    """Neither the index page (three-row figures in the aligned layout) nor a page with a
    200-character token makes the page scroll sideways; the long token wraps inside its figure."""
    widths = "() => [document.documentElement.scrollWidth, window.innerWidth]"
    failures = []
    sizes = index.page.evaluate(widths)
    if sizes[0] > sizes[1]:
        failures.append(f"index.html: scrollWidth {sizes[0]} > innerWidth {sizes[1]}")
    opened = open_page(browser, f"{site}/{index.variant.theme}/long.html", index.variant, index.width)
    try:
        sizes = opened.page.evaluate(widths)
        if sizes[0] > sizes[1]:
            failures.append(f"long.html: scrollWidth {sizes[0]} > innerWidth {sizes[1]}")
        [figure] = opened.page.evaluate(FIGURES)
        [long] = [token for token in tokens_of(figure) if len(token["text"]) == 200]
        lines = long["rects"]
        if len(lines) < 2 or max(line["right"] for line in lines) > sizes[1]:
            failures.append(f"long.html: the long token is not wrapped inside the page: {lines}")
    finally:
        opened.page.close()
    assert not failures, index.where("; ".join(failures))


# Print ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS, ids=map(str, VARIANTS))
def test_print_keeps_the_colours(browser, site: str, variant: Variant, tmp_path: Path) -> None:
    """Printed with the browser's default settings (no backgrounds), tokens and the legend bar keep
    their light colours, from a dark page too: the PDF, rasterised by poppler, shows them."""
    require(shutil.which("pdftoppm") is not None, "pdftoppm is missing (apt-get install poppler-utils)")
    opened = open_page(browser, f"{site}/{variant.theme}/index.html", variant, 1280)
    page = opened.page
    try:
        page.emulate_media(media="print")
        page.add_style_tag(content="@page { margin: 0 !important; }")  # PDF px = layout px
        height = page.evaluate("() => document.documentElement.scrollHeight")
        found = page.evaluate(FIGURES)
        pdf = page.pdf(
            width="1280px",
            height=f"{height + 2}px",
            margin={"top": "0", "right": "0", "bottom": "0", "left": "0"},
            print_background=False,
        )
    finally:
        page.close()
    raster = subprocess.run(
        ["pdftoppm", "-r", "96", "-png", "-singlefile", "-"], input=pdf, capture_output=True, check=True
    ).stdout  # 96 dpi: one pixel per CSS px
    pixels = png_pixels(raster)
    if SCREENSHOTS:
        (SCREENSHOTS / f"print-{variant}.png").write_bytes(raster)
    assert pixels.shape[1] == 1280, pixels.shape
    coloured = 0
    for number, (figure, want) in enumerate(zip(found, index_figures(), strict=True)):
        visible = figure["rowsBox"]
        for token, (_, background, _) in zip(tokens_of(figure), want.colours(dark=False), strict=True):
            box = token["box"]
            where = f"print [{variant}]: figure {number + 1}, token {token['text']!r} at {box}"
            # on paper nothing scrolls: aligned rows wrap, every token is on the page
            assert visible["left"] - 1 <= box["left"] and box["right"] <= visible["right"] + 1, where + f" {visible}"
            seen = box_colour(pixels, box)
            assert close(seen, rgb(background), 3), where + f": printed {seen}, not {background}"
            coloured += contrast(rgb(background), (255, 255, 255)) > 3
        bar = figure["bar"]["box"]
        y = (bar["top"] + bar["bottom"]) / 2
        for position in (0.1, 0.5, 0.9):
            seen = pixel(pixels, bar["left"] + position * bar["width"], y)
            expected = gradient_at(want.viz.legend.stops, position)
            assert close(seen, expected, 8), f"print [{variant}]: figure {number + 1}, legend bar at {position}: " + (
                f"printed {seen}, not {expected}"
            )
    assert coloured >= 5, f"print [{variant}]: only {coloured} strongly coloured tokens were checked"


# Other pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS, ids=map(str, VARIANTS))
def test_hostile_tokens_run_no_script_and_show_verbatim(browser, site: str, variant: Variant) -> None:
    opened = open_page(browser, f"{site}/{variant.theme}/hostile.html", variant)
    page = opened.page
    expected = (THEMES_ROOT / "hostile.tokens").read_text(encoding="utf-8").split("\n")[:-1]
    shown = page.eval_on_selector_all(".attnviz-token", "spans => spans.map(s => s.textContent)")
    assert shown == expected
    assert page.evaluate("() => window.__attnviz_pwned") is None
    assert opened.dialogs == []
    assert (
        page.eval_on_selector_all(
            ".attnviz script, .attnviz img, .attnviz svg, .attnviz a, .attnviz b", "els => els.length"
        )
        == 0
    )
    assert [url for url in opened.requests if not url.startswith(opened.origin)] == []
    page.close()


#: The figures of subwords.rst: what each shows, in order: one entry per word (a
#: span.attnviz-word of pieces, or a lone token), "\n" for a line break. Each word's
#: copied text is the plain word, with no marker (##, Ġ, ▁) and no byte-level mojibake.
SUBWORD_FIGURES = {
    "fig-wordpiece": ["[CLS]", "backpropagation", "recomputes", "[SEP]"],
    "fig-bpe": ["The", "cat", "don\u2019t", "like", "café.↵", "\n", "😊"],
    "fig-sentencepiece": ["backpropagation", "recomputes", "the", "gradients."],
    "fig-auto": ["[CLS]", "backpropagation", "recomputes", "[SEP]"],
}
#: Each child of a figure's (one row's) span.attnviz-tokens: a word (its pieces' boxes) or a line break.
WORDS = """fig => {
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const words = [];
  for (const child of fig.querySelector('.attnviz-tokens').children) {
    if (child.tagName === 'BR') { words.push({text: '\\n'}); continue; }
    const joined = child.classList.contains('attnviz-word');
    words.push({
      joined, text: child.textContent, innerText: child.innerText, shadow: getComputedStyle(child).boxShadow,
      pieces: (joined ? [...child.children] : [child]).map(piece => ({
        text: piece.textContent, background: getComputedStyle(piece).backgroundColor,
        rects: [...piece.getClientRects()].map(box),
      })),
    });
  }
  return words;
}"""
#: Rows of pixels out of a PNG screenshot, decoded by the browser: [[y, x0, x1], ...] -> [[[r, g, b], ...], ...].
PIXEL_ROWS = """async ({png, rows}) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  return rows.map(([y, x0, x1]) => {
    const data = context.getImageData(x0, y, x1 - x0, 1).data;
    const row = [];
    for (let i = 0; i < data.length; i += 4) row.push([data[i], data[i + 1], data[i + 2]]);
    return row;
  });
}"""


def snap(x: float) -> int:
    """The pixel edge Chromium draws a box edge at: CSS px rounded half up."""
    return math.floor(x + 0.5)


def runs(row: list[Rgb]) -> list[Rgb]:
    """The colours of a row of pixels, each run of (nearly) equal neighbours once."""
    merged: list[Rgb] = []
    for colour in row:
        if not merged or not close(merged[-1], colour):
            merged.append(colour)
    return merged


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("variant", VARIANTS, ids=map(str, VARIANTS))
def test_pieces_of_one_word_touch_and_words_keep_a_gap(
    browser, site: str, variant: Variant, width: int, tmp_path: Path
) -> None:
    """The issue's acceptance: box against box inside a word (0 px), a gap between words (> 0 px).

    Measured twice: the boxes' geometry (getClientRects) and the pixels of a screenshot
    with the text made transparent, where a word is one run of its pieces' colours.
    """
    opened = open_page(browser, f"{site}/{variant.theme}/subwords.html", variant, width)
    page = opened.page
    shots = SCREENSHOTS / "subwords" if SCREENSHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    for figure, expected in SUBWORD_FIGURES.items():
        name = f"{variant}-{width}-{figure}"
        selector = f"#{figure}"
        page.eval_on_selector(selector, "e => e.scrollIntoView({block: 'center', behavior: 'instant'})")
        words = page.eval_on_selector(selector, WORDS)
        assert [word["text"] for word in words] == expected, name
        shown = page.eval_on_selector(f"{selector} .attnviz-tokens", "e => e.innerText")
        assert shown == " ".join(expected).replace(" \n ", "\n"), name
        if figure == "fig-bpe":  # the line ends with ↵, 😊 starts the next
            newline = words[4]["pieces"][-1]["rects"][0]
            smiley = words[6]["pieces"][-1]["rects"][0]
            assert words[4]["pieces"][-1]["text"] == "↵" and words[6]["pieces"][-1]["text"] == "😊"
            assert smiley["top"] >= newline["bottom"], (name, newline, smiley)
        words = [word for word in words if word["text"] != "\n"]
        for word in words:
            assert word["innerText"] == word["text"], name  # what a reader copies is the plain word
            if word["joined"]:
                assert word["shadow"] not in ("", "none"), name  # one outline around the word
            for piece in word["pieces"]:
                assert len(piece["rects"]) == 1, (name, piece["text"])  # a piece never breaks across lines
            for left, right in itertools.pairwise(word["pieces"]):
                a, b = left["rects"][0], right["rects"][0]
                assert abs(b["left"] - a["right"]) <= 0.5, (name, word["text"], a, b)  # 0 px: box against box
                assert abs(b["top"] - a["top"]) <= 0.5, (name, word["text"], a, b)  # on one line
        for before, after in itertools.pairwise(words):
            a, b = before["pieces"][-1]["rects"][0], after["pieces"][0]["rects"][0]
            if abs(b["top"] - a["top"]) <= 0.5:
                assert b["left"] - a["right"] > 0, (name, before["text"], after["text"], a, b)
            else:
                assert b["top"] >= a["bottom"], (name, before["text"], after["text"], a, b)  # on a later line

        # The pixels: with the text transparent, the middle row of a word is exactly its pieces' colours
        # one after the other; between two words on one line there is backdrop, and around a joined word
        # its outline, which the backdrop does not hide.
        transparent = page.add_style_tag(content=".attnviz-token { color: transparent !important; }")
        shot = page.screenshot(path=str(shots / f"{name}-boxes.png") if SCREENSHOTS else None)
        png = base64.b64encode(shot).decode()
        backdrop = rgb(page.eval_on_selector(f"{selector} .attnviz", f"e => ({BACKDROP})(e)"))
        transparent.evaluate("e => e.remove()")
        spans = []
        for word in words:
            first, last = word["pieces"][0]["rects"][0], word["pieces"][-1]["rects"][0]
            spans.append((snap((first["top"] + first["bottom"]) / 2), snap(first["left"]), snap(last["right"])))
        rows = page.evaluate(PIXEL_ROWS, {"png": png, "rows": [[y, x0 - 1, x1 + 1] for y, x0, x1 in spans]})
        for word, row in zip(words, rows, strict=True):
            row = [tuple(colour) for colour in row]
            inside = runs(row[1:-1])
            assert inside == runs([rgb(piece["background"]) for piece in word["pieces"]]), (name, word["text"], inside)
            if word["joined"]:
                assert not close(row[0], backdrop, 12), (name, word["text"], row[0], backdrop)
                assert not close(row[-1], backdrop, 12), (name, word["text"], row[-1], backdrop)
        for (y, _, x_end), (next_y, x_start, _) in itertools.pairwise(spans):
            if y == next_y:
                (between,) = page.evaluate(PIXEL_ROWS, {"png": png, "rows": [[y, x_end, x_start]]})
                assert any(close(tuple(colour), backdrop, 12) for colour in between), (name, between, backdrop)
    assert [url for url in opened.requests if not url.startswith(opened.origin)] == []
    page.close()


def test_tokens_keep_their_spaces_and_their_reading_order(browser) -> None:
    """The command line's page: a token's inner spaces are not collapsed, and tokens of a
    right-to-left script (with punctuation and digits between them) stay in token order."""
    from sphinxcontrib_attnviz.pages import html_page
    from sphinxcontrib_attnviz.render.html import iter_html
    from sphinxcontrib_attnviz.visualization import visualize_lists

    tokens = ["a  b", "a b", "\u05e9\u05dc\u05d5\u05dd", "(", "\u05e2\u05d5\u05dc\u05dd", ")", "1", "2", "abc"]
    page = browser.new_page()
    page.set_content("".join(html_page(iter_html(visualize_lists(tokens, range(len(tokens)))), "Spaces")))
    boxes = page.eval_on_selector_all(
        ".attnviz-token",
        "spans => spans.map(s => ({text: s.textContent, x: s.getBoundingClientRect().x,"
        " width: s.getBoundingClientRect().width}))",
    )
    page.close()
    assert [box["text"] for box in boxes] == tokens
    assert boxes[0]["width"] > boxes[1]["width"]  # two spaces are wider than one
    lefts = [box["x"] for box in boxes]
    assert lefts == sorted(lefts)  # every token, Hebrew ones included, left to right in token order


#: Where a bare fragment is pasted, and which colours it must show there: light, or the dark variant's.
FRAGMENT_HOSTS = [
    ("<body>{}</body>", "light", "light"),  # a notebook or page with no dark mode, whatever the reader prefers
    ('<body data-jp-theme-light="false">{}</body>', "light", "dark"),  # JupyterLab's dark themes
    ('<body class="vscode-dark">{}</body>', "light", "dark"),  # VS Code's notebooks
    ('<body class="attnviz-auto">{}</body>', "dark", "dark"),  # a page that follows the reader
    ('<body class="attnviz-auto">{}</body>', "light", "light"),
]


@pytest.mark.parametrize(("host", "scheme", "expected"), FRAGMENT_HOSTS)
def test_a_bare_fragment_shows_its_colours_without_the_stylesheet(
    browser, host: str, scheme: str, expected: str
) -> None:
    """The fragment alone (as ``AttentionViz.to_html()`` gives it, no package CSS): light
    colours hex for hex, the dark variant's where the host is dark; printed, light again."""
    from sphinxcontrib_attnviz import colors
    from sphinxcontrib_attnviz.api import AttentionViz

    viz = AttentionViz(["low", "mid", "high"], [0.0, 0.5, 1.0], legend=True, alpha=0)
    entries = viz.visualization.rows[0].colour_index.tolist()
    palettes = {"light": colors.palette("BuGn"), "dark": colors.dark_palette("BuGn")}
    page = browser.new_page(color_scheme=scheme)
    page.set_content(host.format(viz.to_html()))

    def shown() -> list[tuple[Rgb, Rgb]]:
        found = page.eval_on_selector_all(
            ".attnviz-token",
            "spans => spans.map(s => [getComputedStyle(s).backgroundColor, getComputedStyle(s).color])",
        )
        return [(rgb(background), rgb(colour)) for background, colour in found]

    def wanted(name: str) -> list[tuple[Rgb, Rgb]]:
        palette = palettes[name]
        return [(rgb(palette.backgrounds[entry]), rgb(palette.foregrounds[entry])) for entry in entries]

    assert shown() == wanted(expected), (host, scheme)
    dark_note = page.eval_on_selector(".attnviz-dark-only", "e => getComputedStyle(e).display")
    assert (dark_note != "none") == (expected == "dark"), (host, scheme)
    page.emulate_media(media="print")
    assert shown() == wanted("light"), (host, scheme)  # paper is light
    page.close()


@pytest.mark.parametrize("labels", [False, True], ids=["one unnamed row", "named rows"])
def test_aligned_rows_wrap_on_paper(browser, labels: bool) -> None:
    """On screen aligned rows scroll inside their box; printed, nothing can scroll, so they wrap."""
    from sphinxcontrib_attnviz.pages import html_page
    from sphinxcontrib_attnviz.render.html import iter_html
    from sphinxcontrib_attnviz.visualization import visualize_lists

    tokens = [f"token{index}" for index in range(300)]
    scores = {"first": range(300), "second": range(300, 0, -1)} if labels else range(300)
    viz = visualize_lists(tokens, scores, layout="aligned")
    page = browser.new_page(viewport={"width": 800, "height": 600})
    page.set_content("".join(html_page(iter_html(viz), "Aligned")))
    overflow = (
        "() => { const rows = document.querySelector('.attnviz-rows'); return rows.scrollWidth - rows.clientWidth; }"
    )
    assert page.evaluate(overflow) > 1000  # on screen: one long line per row, scrolled inside the figure
    page.emulate_media(media="print")
    assert page.evaluate(overflow) <= 1
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.close()
