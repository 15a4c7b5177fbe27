"""Real builds: ``:name:`` makes a figure a link target (with or without ``:caption:``),
and the stylesheet reaches HTML-like outputs without touching the project's configuration."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pages import ROOTS, figures

INDEX = """\
Targets
=======

.. attention-viz::
   :tokens: data/sample.tokens
   :scores: data/sample.scores
   :name: noc

.. attention-viz::
   :tokens: data/sample.tokens
   :scores: data/sample.scores
   :name: withcap
   :caption: A captioned figure

.. _labelled:

.. attention-viz::
   :tokens: data/sample.tokens
   :scores: data/sample.scores

See :ref:`this figure <noc>`, :ref:`that one <withcap>` and :ref:`the labelled one <labelled>`.
"""
TARGETS = ("noc", "withcap", "labelled")
CONF = 'project = "Targets"\nversion = "1.0"\ncopyright = "2026, the authors"\nextensions = ["sphinxcontrib_attnviz"]\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose page links to a figure named without a caption, one with a
    caption, and one labelled by a ``.. _label:`` target."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic" / "data", srcdir / "data")
    (srcdir / "conf.py").write_text(CONF)
    (srcdir / "index.rst").write_text(INDEX)
    return srcdir


class _Links(HTMLParser):
    """Every element's id, and every cross-reference's href (no permalinks), in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"])
        if tag == "a" and values.get("href") and "reference" in (values.get("class") or "").split():
            self.hrefs.append(values["href"])


def links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
def test_a_named_figure_is_where_its_reference_points(make_app, project: Path, builder: str) -> None:
    app = make_app(builder, srcdir=project)
    app.build()
    assert "WARNING" not in app.warning.getvalue()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    page = links(html)
    for target in TARGETS:
        [href] = [href for href in page.hrefs if href.endswith(f"#{target}")]
        assert page.ids.count(href.partition("#")[2]) == 1
    uncaptioned, captioned, labelled = figures(html)
    assert re.search(r'<div class="attnviz [^>]*\bid="noc"', uncaptioned.html)
    assert re.search(r'<figure [^>]*id="withcap"', html)  # Sphinx's own figure carries the caption's target
    assert 'id="withcap"' not in captioned.html
    assert re.search(r'<div class="attnviz [^>]*\bid="labelled"', labelled.html)


def test_a_named_figure_has_a_latex_label(make_app, project: Path) -> None:
    app = make_app("latex", srcdir=project)
    app.build()
    assert "WARNING" not in app.warning.getvalue()
    tex = (app.outdir / "targets.tex").read_text(encoding="utf-8")
    for target in TARGETS:
        label = f"\\label{{\\detokenize{{index:{target}}}}}"
        assert tex.count(label) == 1, target  # no label written twice (.. _labelled: writes its own)
        assert f"\\hyperref[\\detokenize{{index:{target}}}]" in tex
    assert "\\par\\phantomsection\\label{\\detokenize{index:noc}}" in tex
    assert tex.index("index:noc}}") < tex.index("\\colorbox")  # before the figure


def test_the_latex_labels_compile_and_resolve(make_app, project: Path) -> None:
    missing = [tool for tool in ("latexmk", "make") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{', '.join(missing)} missing")
        pytest.skip(f"{', '.join(missing)} missing")
    app = make_app("latex", srcdir=project)
    app.build()
    run = subprocess.run(["make", "-C", str(app.outdir), "all-pdf"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    log = (app.outdir / "targets.log").read_text(encoding="utf-8", errors="replace")
    assert "multiply defined" not in log and "undefined references" not in log
    aux = (app.outdir / "targets.aux").read_text(encoding="utf-8")
    # each label has an anchor of its own: a \phantomsection, or the captioned figure's
    assert re.search(r"\\newlabel\{index:noc\}\{\{[^}]*\}\{\d+\}\{[^}]*\}\{section\*\.\d+\}", aux)
    assert re.search(r"\\newlabel\{index:labelled\}\{\{[^}]*\}\{\d+\}\{[^}]*\}\{section\*\.\d+\}", aux)
    assert re.search(r"\\newlabel\{index:withcap\}\{\{1\}\{\d+\}\{A captioned figure\}\{figure\.", aux)


def test_a_named_figure_is_a_texinfo_anchor_that_makeinfo_resolves(make_app, project: Path) -> None:
    if shutil.which("makeinfo") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("makeinfo missing")
        pytest.skip("makeinfo missing")
    app = make_app("texinfo", srcdir=project)
    app.build()
    assert "WARNING" not in app.warning.getvalue()
    texi = (app.outdir / "targets.texi").read_text(encoding="utf-8")
    for target in TARGETS:
        assert texi.count(f"@anchor{{index {target}}}") == 1, target  # none written twice
    assert texi.index("@anchor{index noc}") < texi.index("@verb{|wow|}")  # before the figure
    # makeinfo fails on a reference to an anchor that does not exist
    run = subprocess.run(
        ["makeinfo", "--no-split", "-o", "targets.info", "targets.texi"], cwd=app.outdir, capture_output=True, text=True
    )
    assert run.returncode == 0 and "nonexistent" not in run.stderr, run.stderr
    assert "*note this figure:" in (app.outdir / "targets.info").read_text(encoding="utf-8")


HTML_LIKE = {"html": "index.html", "dirhtml": "index.html", "singlehtml": "index.html", "epub": "index.xhtml"}


def sphinx_build(builder: str, srcdir: Path, outdir: Path) -> str:
    """Run sphinx-build in a process of its own, as a user does; return what it printed.

    (Sphinx's test app sets ``html_theme`` after reading ``conf.py``, which would itself
    count as a configuration change between two builds.)"""
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", builder, "-W", "-d", str(outdir.with_name("doctrees")), srcdir, outdir],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout + run.stderr


@pytest.mark.parametrize(("builder", "page"), HTML_LIKE.items())
def test_the_stylesheet_is_shipped_without_changing_the_configuration(
    project: Path, tmp_path: Path, builder: str, page: str
) -> None:
    outdir = tmp_path / "out"
    sphinx_build(builder, project, outdir)
    css = outdir / "_static" / "attnviz.css"
    assert css.read_bytes() == (ROOTS.parents[1] / "sphinxcontrib_attnviz" / "static" / "attnviz.css").read_bytes()
    assert "_static/attnviz.css" in (outdir / page).read_text(encoding="utf-8")
    written = (outdir / page).stat().st_mtime_ns

    status = sphinx_build(builder, project, outdir)  # again, nothing changed
    assert "configuration has changed" not in status.lower()
    assert "0 added, 0 changed, 0 removed" in status
    if builder in ("html", "dirhtml"):  # singlehtml and epub write their pages on every build
        assert "no targets are out of date" in status
        assert (outdir / page).stat().st_mtime_ns == written
    assert css.is_file()
    assert "_static/attnviz.css" in (outdir / page).read_text(encoding="utf-8")
    if builder == "epub":  # listed in the manifest and packed
        assert 'href="_static/attnviz.css"' in (outdir / "content.opf").read_text(encoding="utf-8")
        [epub] = outdir.glob("*.epub")
        with zipfile.ZipFile(epub) as packed:
            assert "_static/attnviz.css" in packed.namelist()


def test_a_project_stylesheet_of_the_same_name_wins(make_app, project: Path) -> None:
    (project / "_static").mkdir()
    (project / "_static" / "attnviz.css").write_text("/* the project's own */\n")
    (project / "conf.py").write_text(CONF + 'html_static_path = ["_static"]\n')
    app = make_app("html", srcdir=project)
    app.build()
    assert app.config.html_static_path == ["_static"]
    assert (app.outdir / "_static" / "attnviz.css").read_text() == "/* the project's own */\n"
