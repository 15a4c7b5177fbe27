"""Make the README's picture: a screenshot of a real visualisation in the built docs.

    make docs && .venv/bin/python scripts/readme_screenshot.py

Opens ``docs/_build/html/gallery.html`` in headless Chromium (Debian's, driven by
playwright) and saves the per-layer figure to ``docs/_static/readme.png``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from browser import launch
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "_build" / "html" / "gallery.html"
OUTPUT = ROOT / "docs" / "_static" / "readme.png"


def main() -> int:
    if not PAGE.exists():
        print(f"{PAGE} is missing: run 'make docs' first", file=sys.stderr)
        return 2
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        page.goto(PAGE.as_uri())
        page.locator("figure.attnviz-figure").first.screenshot(path=str(OUTPUT))
        browser.close()
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
