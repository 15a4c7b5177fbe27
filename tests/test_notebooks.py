"""Notebooks: an ``AttentionViz`` cell output offers HTML, LaTeX and text, and a notebook
built with myst-nb shows the figure in HTML, in LaTeX and in the PDF, never the object's
address.

The builds execute a notebook, so they need a Jupyter kernel (``ipykernel``, in the test
extra). The PDF tests need ``latexmk``, ``pdflatex``, ``xelatex`` and ``pdftotext`` (Debian:
latexmk texlive-latex-recommended texlive-xetex poppler-utils); without them they skip,
except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import pytest
from IPython.core.formatters import DisplayFormatter
from IPython.lib.pretty import pretty

from pages import figures
from sphinxcontrib_attnviz import AttentionViz, render_html
from sphinxcontrib_attnviz.pages import stylesheet
from sphinxcontrib_attnviz.render.latex import latex_fragment

TOKENS = ["wow", "great", "<b>"]
SCORES = [0.1, 0.9, 0.5]
CELL = f"from sphinxcontrib_attnviz import AttentionViz\nAttentionViz({TOKENS!r}, {SCORES!r})"
#: LaTeX's specials, a control word, and characters pdflatex cannot typeset (U+2581, an emoji).
HOSTILE = ["\\", "{", "}", "%", "$", "#", "&", "_", "^", "~", "\\par", "\\end{document}", "\u2581x", "\U0001f600"]
ADDRESS = re.compile(r"AttentionViz (object )?at 0x")


def latex_tools(*tools: str) -> None:
    """Skip (fail under ``CI=true``) unless every tool is on the PATH."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        message = f"missing {', '.join(missing)}: install Debian's latexmk, texlive-* and poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def squeezed(text: str) -> str:
    return "".join(text.split())


# -- the reprs -------------------------------------------------------------------------


def test_mimebundle_holds_html_latex_and_text() -> None:
    viz = AttentionViz(TOKENS, SCORES)
    bundle = viz._repr_mimebundle_()
    assert bundle == {
        "text/html": viz._repr_html_(),
        "text/latex": viz._repr_latex_(),
        "text/plain": "wow[0.1000] great[0.9000] <b>[0.5000]",
    }
    assert figures(bundle["text/html"])[0].tokens == TOKENS
    assert bundle["text/latex"].count("\\colorbox[HTML]") == len(TOKENS)


def test_mimebundle_honours_include_and_exclude(monkeypatch: pytest.MonkeyPatch) -> None:
    viz = AttentionViz(TOKENS, SCORES)
    assert set(viz._repr_mimebundle_(include={"text/plain", "image/png"})) == {"text/plain"}
    assert set(viz._repr_mimebundle_(exclude={"text/latex"})) == {"text/html", "text/plain"}
    assert set(viz._repr_mimebundle_(include={"text/html", "text/latex"}, exclude={"text/html"})) == {"text/latex"}
    assert viz._repr_mimebundle_(include=set()) == {}

    def fail() -> str:
        raise AssertionError("an excluded repr was computed")

    monkeypatch.setattr(viz, "_repr_latex_", fail)
    assert set(viz._repr_mimebundle_(exclude=["text/latex"])) == {"text/html", "text/plain"}


def test_ipython_shows_the_bundle_and_the_text() -> None:
    viz = AttentionViz(TOKENS, SCORES)
    data, _ = DisplayFormatter().format(viz)
    assert set(data) == {"text/html", "text/latex", "text/plain"}
    assert data["text/plain"] == "wow[0.1000] great[0.9000] <b>[0.5000]"
    assert repr(viz) == pretty(viz) == data["text/plain"]
    assert not ADDRESS.search(repr([viz]))


def test_latex_is_the_builders_fragment_under_pdflatex() -> None:
    viz = AttentionViz(TOKENS, SCORES, legend=True)
    latex = viz._repr_latex_()
    wrapper = re.fullmatch(r"(\\relax\\ifmmode.*?\\fi)\{(.*)\}", latex, re.DOTALL)
    assert wrapper, latex[:200]
    body = wrapper[2].replace("\\endgraf", "\\par").replace("\n%\n", "\n\n")
    assert body == latex_fragment(viz.visualization, "pdflatex").source
    assert "\n\n" in body  # the legend's blank line, which the repr must not have
    assert "\n\n" not in latex
    assert not re.search(r"\\par(?![A-Za-z])", latex)


def test_latex_escapes_hostile_tokens_without_a_warning() -> None:
    viz = AttentionViz(HOSTILE, [float(index) for index in range(len(HOSTILE))])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Jupyter computes the LaTeX at every display: it must not warn
        latex = viz._repr_latex_()
    for escaped in ("{\\textbackslash{}}", "{\\{}", "{\\}}", "{\\%}", "{\\$}", "{\\#}", "{\\&}", "{\\_}"):
        assert escaped in latex, escaped
    assert "\\textbackslash{}par" in latex and "\\textbackslash{}end\\{document\\}" in latex
    assert "[U+2581]" in latex and "[U+1F600]" in latex  # pdflatex-safe markers
    assert "\u2581" not in latex and "\U0001f600" not in latex
    with pytest.warns(UserWarning, match="pdflatex cannot typeset"):
        viz.to_latex()  # the explicit call still says which characters it marked


def test_text_and_html_outputs_are_unchanged() -> None:
    viz = AttentionViz(TOKENS, SCORES, legend=True)
    assert viz.to_html() == render_html(TOKENS, SCORES, legend=True)
    assert viz._repr_html_() == f"<style>{stylesheet()}</style>{viz.to_html()}"
    assert figures(viz._repr_html_())[0].tokens == TOKENS
    assert viz.to_text() == str(viz) == f"{viz!r}\n"
    assert viz.to_text().splitlines()[0] == "wow[0.1000] great[0.9000] <b>[0.5000]"


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex"])
@pytest.mark.parametrize("mode", ["text", "math"])
def test_latex_compiles_with_only_xcolor(tmp_path: Path, engine: str, mode: str) -> None:
    """nbconvert and nbsphinx put the LaTeX in text mode; myst-nb in ``equation*`` + ``split``."""
    latex_tools(engine, "pdftotext")
    latex = AttentionViz(HOSTILE, [float(index) for index in range(len(HOSTILE))], legend=True)._repr_latex_()
    if mode == "math":
        latex = f"\\begin{{equation*}}\n\\begin{{split}}{latex}\\end{{split}}\n\\end{{equation*}}"
    preamble = "\\usepackage[T1]{fontenc}\n" if engine == "pdflatex" else ""
    source = f"\\documentclass{{article}}\n{preamble}\\usepackage{{amsmath}}\n\\usepackage{{xcolor}}\n"
    (tmp_path / "doc.tex").write_text(f"{source}\\begin{{document}}\n{latex}\n\\end{{document}}\n", encoding="utf-8")
    run = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-3000:]
    text = squeezed(pdf_text(tmp_path / "doc.pdf"))
    assert squeezed("\\ { } % $ # & _ ^ ~ \\par \\end{document} [U+2581]x [U+1F600]") in text


# -- a notebook built with myst-nb ---------------------------------------------------------


@pytest.fixture(scope="module")
def notebook_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Sphinx project of one notebook, executed at every build."""
    source = tmp_path_factory.mktemp("notebook") / "src"
    source.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell("# Scores"), nbformat.v4.new_code_cell(CELL)]
    nbformat.write(notebook, source / "index.ipynb")
    conf = ['project = "notebook"', 'extensions = ["myst_nb"]', 'nb_execution_mode = "force"']
    (source / "conf.py").write_text("\n".join([*conf, "nb_execution_raise_on_error = True\n"]), encoding="utf-8")
    return source


def build(source: Path, builder: str) -> Path:
    """Build ``source`` with ``builder`` warning-free, in a process of its own as a user
    does (myst-nb's set-up changes Sphinx's defaults for later builds in one process on
    Sphinx 7 and 8); return the output folder."""
    out = source.parent / builder
    warnings_file = source.parent / f"{builder}-warnings.txt"
    command = ["-q", "-b", builder, "-w", str(warnings_file), "-d", str(out / ".doctrees"), str(source), str(out)]
    run = subprocess.run([sys.executable, "-m", "sphinx", *command], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert not warnings_file.read_text(encoding="utf-8"), warnings_file.read_text(encoding="utf-8")
    return out


def test_notebook_html_shows_the_figure(notebook_project: Path) -> None:
    page = (build(notebook_project, "html") / "index.html").read_text(encoding="utf-8")
    [figure] = figures(page)
    assert figure.tokens == TOKENS
    assert "&lt;b&gt;" in figure.html and "<b>" not in figure.html
    assert AttentionViz(TOKENS, SCORES)._repr_html_() in page  # the notebook's HTML, as it is
    assert not ADDRESS.search(page)
    assert "\\colorbox" not in page  # HTML builders pick text/html, not the LaTeX


def test_notebook_latex_and_pdf_show_the_figure(notebook_project: Path) -> None:
    latex = build(notebook_project, "latex")
    tex = (latex / "notebook.tex").read_text(encoding="utf-8")
    assert AttentionViz(TOKENS, SCORES)._repr_latex_() in tex
    assert tex.count("\\colorbox[HTML]") == len(TOKENS)
    for token in ("{wow}", "{great}", "{\\textless{}b\\textgreater{}}"):
        assert token in tex
    assert not ADDRESS.search(tex)
    assert "attnviz-token" not in tex and "<div" not in tex  # no HTML, no CSS
    latex_tools("latexmk", "pdflatex", "pdftotext", "make")
    run = subprocess.run(["make", "-C", str(latex), "all-pdf"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    text = pdf_text(latex / "notebook.pdf")
    assert "wow great <b>" in text
    assert not ADDRESS.search(text)
