"""What a real browser shows and runs, in the themes people use, light and dark.

Drives Debian's Chromium through Python playwright (``executable_path``; never
``playwright install``). Without Chromium or playwright these tests skip, except under
``CI=true``, where that is a failure.
"""

from __future__ import annotations

import functools
import http.server
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


def open_page(browser, url: str, scheme: str):
    """A page at ``url``; also returns the list of every request it makes and every dialog it opens."""
    page = browser.new_page(color_scheme=scheme)
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
