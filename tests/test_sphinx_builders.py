"""Every builder writes the visualisation: HTML-like ones the fragment, the rest the tokens."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_colors import SAMPLE_COLOURS
from test_sphinx_html import SAMPLE_TOKENS

from pages import ROOTS, figures

#: builder -> (output file, figures in it): the text builder writes one file per page.
TEXT_OUTPUTS = {
    "text": ("index.txt", 2),
    "man": ("basic.1", 3),
    "texinfo": ("basic.texi", 3),
}
SAMPLE_SCORES = [float(line) for line in (ROOTS / "test-basic" / "data" / "sample.scores").read_text().split()]
HTML_OUTPUTS = {
    "html": "index.html",
    "dirhtml": "index.html",
    "singlehtml": "index.html",
    "epub": "index.xhtml",
}
LATEX_BOX = re.compile(r"\\colorbox\[HTML\]\{([0-9A-F]{6})\}\{\\strut\\textcolor\[HTML\]\{([0-9A-F]{6})\}\{(.*?)\}\}")


#: How a reader reads a text-like builder's output: Texinfo through makeinfo, a man page through groff.
READERS = {
    ".texi": ("makeinfo", "--plaintext", "-o", "-"),
    ".1": ("groff", "-K", "utf-8", "-man", "-Tutf8", "-P-cbou"),
}


def read_written(path: Path) -> str:
    """What a text-like builder wrote, as its reader shows it (Debian: texinfo, groff-base)."""
    reader = READERS.get(path.suffix)
    if reader is None:
        return path.read_text(encoding="utf-8")
    if shutil.which(reader[0]) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reader[0]} is missing")
        pytest.skip(f"{reader[0]} is missing")
    return subprocess.run([*reader, str(path)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("builder", "output", "count"), [(name, *value) for name, value in TEXT_OUTPUTS.items()])
def test_text_like_builders_get_every_token_with_its_score(
    make_app, copy_project, builder: str, output: str, count: int
) -> None:
    app = make_app(builder, srcdir=copy_project("basic"))
    app.build()
    assert "WARNING" not in app.warning.getvalue()
    written = " ".join(read_written(app.outdir / output).split())  # undo line wrapping
    expected = " ".join(f"{token}[{score:#.4g}]" for token, score in zip(SAMPLE_TOKENS, SAMPLE_SCORES, strict=True))
    assert expected.startswith("wow[0.03613] ,[0.001799] this[0.004890]")
    assert written.count(expected) == count
    assert written.index("Before the figure.") < written.index(expected)


def test_latex_gets_coloured_boxes(make_app, copy_project) -> None:
    app = make_app("latex", srcdir=copy_project("basic"))
    app.build()
    assert "WARNING" not in app.warning.getvalue()
    tex = (app.outdir / "basic.tex").read_text(encoding="utf-8")
    boxes = LATEX_BOX.findall(tex)
    assert len(boxes) == 3 * len(SAMPLE_TOKENS)
    first = boxes[: len(SAMPLE_TOKENS)]
    assert [token for _, _, token in first] == SAMPLE_TOKENS
    assert ["#" + background.lower() for background, _, _ in first] == SAMPLE_COLOURS
    assert [foreground for _, foreground, _ in first][6] == "FFFFFF"  # great: white on dark green


@pytest.mark.parametrize(("builder", "output"), HTML_OUTPUTS.items())
def test_html_like_builders_get_the_fragment(make_app, copy_project, builder: str, output: str) -> None:
    app = make_app(builder, srcdir=copy_project("basic"))
    app.build()
    assert "WARNING" not in app.warning.getvalue()
    drawn = figures((app.outdir / output).read_text(encoding="utf-8"))
    assert [figure.tokens for figure in drawn][:2] == [SAMPLE_TOKENS, SAMPLE_TOKENS]
    assert (app.outdir / "_static" / "attnviz.css").is_file()


@pytest.mark.parametrize("builder", ["xml", "pseudoxml", "gettext"])
def test_other_builders_do_not_crash(make_app, copy_project, builder: str) -> None:
    app = make_app(builder, srcdir=copy_project("basic"))
    app.build()
    assert "WARNING" not in app.warning.getvalue()


def test_tokens_are_not_offered_for_translation(make_app, copy_project) -> None:
    app = make_app("gettext", srcdir=copy_project("basic"))
    app.build()
    catalogue = (app.outdir / "index.pot").read_text(encoding="utf-8")
    assert "Before the figure." in catalogue
    assert "movie" not in catalogue


def test_latex_gets_the_tokens_escaped(make_app, copy_project) -> None:
    srcdir = copy_project("escaping")
    app = make_app("latex", srcdir=srcdir)
    app.build()
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    body = tex[tex.index(r"\begin{document}") :]
    assert r"\{\textbackslash{}\textbackslash{}\}\$\&\#\textasciicircum{}\_\%\textasciitilde{}" in body
    assert r"{\\}$&#^_%~" not in body
    assert r"\textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{}" in body


def test_text_builder_keeps_tokens_verbatim(make_app, copy_project) -> None:
    srcdir = copy_project("escaping")
    app = make_app("text", srcdir=srcdir)
    app.build()
    tokens = (srcdir / "hostile.tokens").read_text(encoding="utf-8").split("\n")[:-1]
    text = " ".join((app.outdir / "index.txt").read_text(encoding="utf-8").split())  # undo line wrapping
    scores = [float(line) for line in (srcdir / "hostile.scores").read_text().split()]
    assert " ".join(f"{token}[{score:#.4g}]" for token, score in zip(tokens, scores, strict=True)) in text
