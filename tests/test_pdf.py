"""PDF through LaTeX: the docs and a page of LaTeX's special characters compile, and
every visualisation's tokens are in the PDF's text (``pdftotext``).

Needs ``latexmk`` and ``pdftotext`` (Debian: latexmk texlive-latex-recommended
texlive-latex-extra texlive-fonts-recommended tex-gyre poppler-utils). Without them the
tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from pages import ROOTS, figures
from sphinxcontrib_attnviz.render.latex_text import CONTROL_ABBREVIATIONS

DOCS = ROOTS.parent.parent / "docs"


@pytest.fixture(scope="module", autouse=True)
def latex_tools() -> None:
    missing = [tool for tool in ("latexmk", "pdftotext", "make") if shutil.which(tool) is None]
    if missing:
        message = f"missing {', '.join(missing)}: install Debian's latexmk, texlive-* and poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def build_pdf_text(source: Path, out: Path) -> str:
    """Build ``source`` with the latex builder, compile it with latexmk, return the PDF's text."""
    assert build_main(["-q", "-b", "latex", "-d", str(out / "doctrees"), str(source), str(out / "latex")]) == 0
    run = subprocess.run(["make", "-C", str(out / "latex"), "all-pdf"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    [pdf] = (path for path in (out / "latex").glob("*.pdf") if path.with_suffix(".tex").is_file())  # not an image
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", text)


def html_figures(source: Path, out: Path) -> list[list[str]]:
    """Each visualisation's rows of shown tokens, read from an HTML build of ``source``."""
    assert build_main(["-q", "-b", "html", "-d", str(out / "doctrees-html"), str(source), str(out / "html")]) == 0
    rows = []
    for page in sorted((out / "html").rglob("*.html")):
        for figure in figures(page.read_text(encoding="utf-8")):
            rows.extend(figure.rows)
    return rows


def assert_in_order(tokens: list[str], text: str) -> None:
    """Every token occurs in ``text`` (whitespace ignored), in the given order."""
    squeezed = "".join(text.split())
    position = 0
    for token in tokens:
        found = squeezed.find("".join(token.split()), position)
        assert found >= 0, f"{token!r} not found after position {position}: {squeezed[position : position + 80]!r}"
        position = found + len("".join(token.split()))


def test_latex_special_characters_compile_and_appear_verbatim(tmp_path: Path) -> None:
    source = ROOTS / "test-latex-specials"
    text = build_pdf_text(source, tmp_path)
    tokens = (source / "specials.tokens").read_text(encoding="utf-8").split("\n")[:-1]
    assert set("\\{}$&#^_%~") <= set("".join(tokens))
    for _ in range(2):  # the plain visualisation, then the figure
        assert_in_order(tokens, text)
    assert " ".join(tokens) in text
    assert "Fig. 1: Specials in a figure, with a legend" in text


#: How a stand-in the HTML shows reads in the PDF's text: LaTeX draws the newline mark
#: as ``\hookleftarrow``, which pdftotext reads as an arrow, and a Control Picture as the
#: abbreviation of its character (``␓`` as ``DC3``).
PDF_READING = str.maketrans(
    {"\u21b5": "\u2190", **{chr(0x2400 + index): name for index, name in enumerate(CONTROL_ABBREVIATIONS)}}
)


def test_every_visualisation_of_the_docs_is_in_the_pdf(tmp_path: Path) -> None:
    text = build_pdf_text(DOCS, tmp_path)
    rows = html_figures(DOCS, tmp_path)
    assert len(rows) >= 20
    for row in rows:
        assert_in_order([token.translate(PDF_READING) for token in row], text)
