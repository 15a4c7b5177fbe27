"""The project's own docs: they build warning-free, show real visualisations, and the
text build holds every token and score the HTML build shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from pages import ROOTS, figures
from sphinxcontrib_attnviz.render import MISSING_SCORE
from sphinxcontrib_attnviz.render.html import MISSING_TITLE

DOCS = ROOTS.parent.parent / "docs"


@pytest.fixture(scope="module")
def docs_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    assert build_main(["-W", "-q", "-b", "html", "-d", str(out / "doctrees"), str(DOCS), str(out / "html")]) == 0
    return out / "html"


def test_docs_build_warning_free_with_real_visualisations(docs_html: Path) -> None:
    index = figures((docs_html / "index.html").read_text(encoding="utf-8"))
    assert index and index[0].tokens[0] == "[CLS]"
    gallery = figures((docs_html / "gallery.html").read_text(encoding="utf-8"))
    assert len(gallery) == 5 and all(len(figure.spans) >= 16 for figure in gallery)
    assert len(gallery[2].rows) == 6  # one row per layer


def test_text_build_holds_every_token_and_score(docs_html: Path, tmp_path: Path) -> None:
    assert build_main(["-W", "-q", "-b", "text", "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path)]) == 0
    checked = 0
    for page in docs_html.glob("*.html"):
        drawn = figures(page.read_text(encoding="utf-8"))
        if not drawn:
            continue
        text = " ".join((tmp_path / f"{page.stem}.txt").read_text(encoding="utf-8").split())
        for figure in drawn:
            for span in figure.spans:
                title = span.attrs["title"]
                score = MISSING_SCORE if title.startswith(MISSING_TITLE) else title.split(" ")[0]
                assert f"{span.text}[{score}" in text, (page.name, span.text, score)
                checked += 1
    assert checked > 500


def test_docs_read_no_file_outside_the_docs() -> None:
    for source in DOCS.rglob("*"):
        if source.suffix in {".rst", ".md", ".py"}:
            assert "../shared" not in source.read_text(encoding="utf-8"), source


def test_readme_shows_the_committed_screenshot() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    [image] = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", readme)
    picture = DOCS.parent / image
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert readme.index(image) < readme.index("## Quick start")


def test_readme_quick_start_is_two_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    quick_start = readme[readme.index("## Quick start") : readme.index("## Install")]
    commands = [line.split("#")[0].strip() for line in quick_start.splitlines() if line.startswith("    ")]
    assert commands == ["make docs", "make test"]
