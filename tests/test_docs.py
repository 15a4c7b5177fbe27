"""The project's own docs build warning-free, and show real visualisations."""

from __future__ import annotations

from pathlib import Path

from sphinx.cmd.build import build_main

from pages import figures

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_docs_build_warning_free(tmp_path: Path) -> None:
    out = tmp_path / "html"
    status = build_main(["-W", "-q", "-b", "html", "-d", str(tmp_path / "doctrees"), str(DOCS), str(out)])
    assert status == 0
    index = figures((out / "index.html").read_text(encoding="utf-8"))
    assert index and index[0].tokens[0] == "[CLS]"
    gallery = figures((out / "gallery.html").read_text(encoding="utf-8"))
    assert len(gallery) == 4 and all(len(figure.spans) >= 16 for figure in gallery)


def test_docs_read_no_file_outside_the_docs() -> None:
    for source in DOCS.rglob("*"):
        if source.suffix in {".rst", ".md", ".py"}:
            assert "../shared" not in source.read_text(encoding="utf-8"), source
