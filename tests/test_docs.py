"""The project's own docs: they build warning-free, show real visualisations, and the
text build holds every token and score the HTML build shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from pages import ROOTS, figures

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
                score = span.attrs["title"].split(" ")[0]
                assert f"{span.text}[{score}" in text, (page.name, span.text, score)
                checked += 1
    assert checked > 500


def test_docs_read_no_file_outside_the_docs() -> None:
    for source in DOCS.rglob("*"):
        if source.suffix in {".rst", ".md", ".py"}:
            assert "../shared" not in source.read_text(encoding="utf-8"), source
