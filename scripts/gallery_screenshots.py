"""Make the docs' pictures of the gallery in furo, light and dark.

    .venv/bin/python scripts/gallery_screenshots.py   (part of ``make screenshot``)

Builds the docs with the furo theme into ``docs/_build/furo``, opens the gallery in
headless Chromium (Debian's, driven by playwright) once with a light and once with a
dark colour-scheme preference (furo follows it by default), and saves the page's article
to ``docs/_static/gallery-light.png`` and ``docs/_static/gallery-dark.png``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from browser import launch
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "docs" / "_build" / "furo"
STATIC = ROOT / "docs" / "_static"
SCHEMES = ("light", "dark")
#: Wide enough for furo's desktop layout, narrow enough to read on the docs page.
VIEWPORT = {"width": 1100, "height": 900}


def build_with_furo() -> Path:
    """The docs built with furo; returns the gallery page."""
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", "html_theme=furo", "docs", str(BUILD)]
    subprocess.run(command, cwd=ROOT, check=True)
    return BUILD / "gallery.html"


def main() -> int:
    gallery = build_with_furo()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for scheme in SCHEMES:
            page = browser.new_page(color_scheme=scheme, viewport=VIEWPORT, device_scale_factor=1)
            page.goto(gallery.as_uri())
            output = STATIC / f"gallery-{scheme}.png"
            page.locator("article").first.screenshot(path=str(output))
            page.close()
            print(f"wrote {output}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
