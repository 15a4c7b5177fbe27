"""What a real browser shows and runs, in the themes people use, light and dark.

Drives Debian's Chromium through Python playwright (``executable_path``; never
``playwright install``). Without Chromium or playwright these tests skip, except under
``CI=true``, where that is a failure.
"""

from __future__ import annotations

import base64
import functools
import http.server
import itertools
import math
import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from pages import ROOTS

sys.path.insert(0, str(ROOTS.parent.parent / "scripts"))
from browser import CHROMIUM, launch

#: (html_theme, colour scheme the browser asks for); furo and pydata follow it by default.
VARIANTS = [
    ("alabaster", "light"),
    ("furo", "light"),
    ("furo", "dark"),
    ("sphinx_rtd_theme", "light"),
    ("pydata_sphinx_theme", "light"),
    ("pydata_sphinx_theme", "dark"),
]
SCREENSHOTS = Path(os.environ.get("ATTNVIZ_SCREENSHOTS", "")) if os.environ.get("ATTNVIZ_SCREENSHOTS") else None


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
    """The themes test project built with each theme, served on localhost; yields the base URL."""
    out = tmp_path_factory.mktemp("themes")
    for theme in {theme for theme, _ in VARIANTS}:
        status = build_main(
            ["-q", "-W", "-b", "html", "-D", f"html_theme={theme}", str(ROOTS / "test-themes"), str(out / theme)]
        )
        assert status == 0, theme
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def rgb(css: str) -> tuple[int, int, int]:
    """``rgb(1, 2, 3)`` or ``#010203`` as a tuple."""
    if css.startswith("#"):
        return tuple(int(css[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    r, g, b = (int(float(part)) for part in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def luminance(colour: tuple[int, int, int]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


#: The first non-transparent background behind an element: what its text is read against.
BACKDROP = """e => {
  for (let node = e; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
  }
  return 'rgb(255, 255, 255)';
}"""


def open_page(browser, url: str, scheme: str, **options: object):
    """A page at ``url``; also returns the list of every request it makes and every dialog it opens.

    ``options`` go to ``browser.new_page`` (e.g. ``viewport``).
    """
    page = browser.new_page(color_scheme=scheme, **options)
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, requests, dialogs


@pytest.mark.parametrize(("theme", "scheme"), VARIANTS, ids=[f"{t}-{s}" for t, s in VARIANTS])
def test_colours_contrast_accessibility_and_self_containment(
    browser, site: str, theme: str, scheme: str, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, requests, _ = open_page(browser, f"{site}/{theme}/index.html", scheme)
    screenshot = (SCREENSHOTS or tmp_path) / f"{theme}-{scheme}.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=True)

    spans = page.eval_on_selector_all(
        ".attnviz-token",
        "spans => spans.map(s => [s.style.backgroundColor, getComputedStyle(s).backgroundColor,"
        " getComputedStyle(s).color])",
    )
    assert len(spans) == 3 * 16 + 16
    for intended, background, colour in spans:
        assert rgb(background) == rgb(intended)
        assert contrast(rgb(background), rgb(colour)) >= 4.5

    text_colour = rgb(page.eval_on_selector("section p", "e => getComputedStyle(e).color"))
    if scheme == "dark":
        assert contrast(text_colour, (0, 0, 0)) > contrast(text_colour, (255, 255, 255))  # light text
    # labels and legend take the theme's text colour; captions keep the theme's caption style
    for selector, same_as_text in [
        (".attnviz-label", True),
        (".attnviz-legend-label", True),
        (".attnviz-legend-name", True),
        ("figcaption .caption-text", False),
    ]:
        found = page.eval_on_selector_all(
            selector, f"els => els.map(e => [getComputedStyle(e).color, ({BACKDROP})(e)])"
        )
        assert found, selector
        for colour, backdrop in found:
            assert rgb(colour) == text_colour or not same_as_text, selector
            assert contrast(rgb(colour), rgb(backdrop)) >= 4.5, selector

    result = Axe().run(page, context=".attnviz")
    assert result.violations_count == 0, result.generate_report()
    assert [url for url in requests if not url.startswith(site)] == []
    page.close()


@pytest.mark.parametrize(("theme", "scheme"), VARIANTS, ids=[f"{t}-{s}" for t, s in VARIANTS])
def test_hostile_tokens_run_no_script_and_show_verbatim(browser, site: str, theme: str, scheme: str) -> None:
    page, requests, dialogs = open_page(browser, f"{site}/{theme}/hostile.html", scheme)
    expected = (ROOTS / "test-themes" / "hostile.tokens").read_text(encoding="utf-8").split("\n")[:-1]
    shown = page.eval_on_selector_all(".attnviz-token", "spans => spans.map(s => s.textContent)")
    assert shown == expected
    assert page.evaluate("() => window.__attnviz_pwned") is None
    assert dialogs == []
    assert (
        page.eval_on_selector_all(
            ".attnviz script, .attnviz img, .attnviz svg, .attnviz a, .attnviz b", "els => els.length"
        )
        == 0
    )
    assert [url for url in requests if not url.startswith(site)] == []
    page.close()


#: Desktop and phone widths (CSS px) for the subword layout tests.
WIDTHS = {"desktop": 1280, "phone": 375}
#: The figures of subwords.rst: what each shows, in order: one entry per word (a
#: span.attnviz-word of pieces, or a lone token), "\n" for a line break. Each word's
#: copied text is the plain word, with no marker (##, Ġ, ▁) and no byte-level mojibake.
SUBWORD_FIGURES = {
    "fig-wordpiece": ["[CLS]", "backpropagation", "recomputes", "[SEP]"],
    "fig-bpe": ["The", "cat", "don\u2019t", "like", "café.↵", "\n", "😊"],
    "fig-sentencepiece": ["backpropagation", "recomputes", "the", "gradients."],
    "fig-auto": ["[CLS]", "backpropagation", "recomputes", "[SEP]"],
}
#: Each child of a figure's div.attnviz: a word (its pieces' boxes) or a line break.
WORDS = """fig => {
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const words = [];
  for (const child of fig.querySelector('.attnviz').children) {
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


def close(a: tuple[int, int, int], b: tuple[int, int, int], tolerance: int = 2) -> bool:
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) <= tolerance


def snap(x: float) -> int:
    """The pixel edge Chromium draws a box edge at: CSS px rounded half up."""
    return math.floor(x + 0.5)


def runs(row: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The colours of a row of pixels, each run of (nearly) equal neighbours once."""
    merged: list[tuple[int, int, int]] = []
    for pixel in row:
        if not merged or not close(merged[-1], pixel):
            merged.append(pixel)
    return merged


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize(("theme", "scheme"), VARIANTS, ids=[f"{t}-{s}" for t, s in VARIANTS])
def test_pieces_of_one_word_touch_and_words_keep_a_gap(
    browser, site: str, theme: str, scheme: str, width: int, tmp_path: Path
) -> None:
    """The issue's acceptance: box against box inside a word (0 px), a gap between words (> 0 px).

    Measured twice: the boxes' geometry (getClientRects) and the pixels of a screenshot
    with the text made transparent, where a word is one run of its pieces' colours.
    """
    page, requests, _ = open_page(
        browser, f"{site}/{theme}/subwords.html", scheme, viewport={"width": width, "height": 900}
    )
    shots = (SCREENSHOTS or tmp_path) / "subwords"
    shots.mkdir(parents=True, exist_ok=True)
    for figure, expected in SUBWORD_FIGURES.items():
        name = f"{theme}-{scheme}-{width}-{figure}"
        selector = f"#{figure}"
        shot = shots / f"{name}.png"
        page.locator(selector).screenshot(path=str(shot))
        assert shot.stat().st_size > 0

        page.eval_on_selector(selector, "e => e.scrollIntoView({block: 'center'})")
        words = page.eval_on_selector(selector, WORDS)
        assert [word["text"] for word in words] == expected, name
        shown = page.eval_on_selector(f"{selector} .attnviz", "e => e.innerText")
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
        png = base64.b64encode(page.screenshot(path=str(shots / f"{name}-boxes.png"))).decode()
        backdrop = rgb(page.eval_on_selector(f"{selector} .attnviz", f"e => ({BACKDROP})(e)"))
        transparent.evaluate("e => e.remove()")
        spans = []
        for word in words:
            first, last = word["pieces"][0]["rects"][0], word["pieces"][-1]["rects"][0]
            spans.append((snap((first["top"] + first["bottom"]) / 2), snap(first["left"]), snap(last["right"])))
        rows = page.evaluate(PIXEL_ROWS, {"png": png, "rows": [[y, x0 - 1, x1 + 1] for y, x0, x1 in spans]})
        for word, row in zip(words, rows, strict=True):
            row = [tuple(pixel) for pixel in row]
            inside = runs(row[1:-1])
            assert inside == runs([rgb(piece["background"]) for piece in word["pieces"]]), (name, word["text"], inside)
            if word["joined"]:
                assert not close(row[0], backdrop, 12), (name, word["text"], row[0], backdrop)
                assert not close(row[-1], backdrop, 12), (name, word["text"], row[-1], backdrop)
        for (y, _, x_end), (next_y, x_start, _) in itertools.pairwise(spans):
            if y == next_y:
                (between,) = page.evaluate(PIXEL_ROWS, {"png": png, "rows": [[y, x_end, x_start]]})
                assert any(close(tuple(pixel), backdrop, 12) for pixel in between), (name, between, backdrop)
    assert [url for url in requests if not url.startswith(site)] == []
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
