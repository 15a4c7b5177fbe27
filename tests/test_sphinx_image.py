"""Figures drawn as images: ``:image:`` in HTML and LaTeX, builders without a visitor of
ours (rinohtype, a third-party-like builder), incremental rebuilds and failures.

The test project ``test-image`` has a captioned, named ``:image:`` figure with a legend,
a plain figure, and a named ``:image:`` figure without a caption; its local extension
``imagetext_builder`` adds a builder that knows docutils' nodes only and shows PNGs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest
from test_pdf import assert_in_order, build_pdf_text
from test_sphinx_html import SAMPLE_TOKENS

from pages import ROOTS, figures
from sphinxcontrib_attnviz.sphinx import images
from sphinxcontrib_attnviz.sphinx.images import IMAGE_FOLDER

SVG = "{http://www.w3.org/2000/svg}"
SAMPLE_SCORES = [float(line) for line in (ROOTS / "test-image" / "sample.scores").read_text().split()]
#: Each token with its score, as the text rendering (and so the alt text) writes them.
SCORED = " ".join(f"{token}[{score:#.4g}]" for token, score in zip(SAMPLE_TOKENS, SAMPLE_SCORES, strict=True))
IMG = re.compile(r"<img\b[^>]*>")


def attributes(tag: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in re.findall(r'(\w[\w-]*)="([^"]*)"', tag)}


def warnings_of(app) -> list[str]:
    """The build's warning lines, without colours (Sphinx colours them unless told not to)."""
    return re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue()).splitlines()


def need(*tools: str) -> None:
    """Skip without the tools, except under ``CI=true``, where they must be there."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        message = f"missing {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def drawn(app) -> dict[str, int]:
    """The images drawn into the doctree directory, with their modification times."""
    folder = Path(app.doctreedir) / IMAGE_FOLDER
    return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} if folder.is_dir() else {}


def svg_texts(path: Path, row: int = 0) -> list[str]:
    """The text of each token of ``row`` in an SVG image, in token order."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    texts = {}
    for group in root.iter(f"{SVG}g"):
        match = re.fullmatch(rf"attnviz-text-{row}-(\d+)", group.get("id", ""))
        if match:
            [text] = group.iter(f"{SVG}text")
            texts[int(match.group(1))] = text.text
    return [texts[index] for index in sorted(texts)]


def write_project(folder: Path, body: str) -> Path:
    """A one-page project whose page holds ``body``, with the sample data next to it."""
    folder.mkdir()
    (folder / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\nshow_warning_types = True\n')
    for name in ("sample.tokens", "sample.scores"):
        shutil.copyfile(ROOTS / "test-image" / name, folder / name)
    (folder / "index.rst").write_text(f"Page\n====\n\n{body}\n", encoding="utf-8")
    return folder


def test_image_in_html_is_an_img_of_the_tokens_with_their_scores_as_alt(make_app, copy_project) -> None:
    app = make_app("html", srcdir=copy_project("image"))
    app.build()
    assert warnings_of(app) == []
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert [figure.tokens for figure in figures(page)] == [SAMPLE_TOKENS]  # the figure without :image:
    captioned, plain = (attributes(tag) for tag in IMG.findall(page))
    for image in (captioned, plain):
        assert image["src"].startswith("_images/attnviz-") and image["src"].endswith(".svg")
        assert svg_texts(app.outdir / image["src"]) == SAMPLE_TOKENS
        assert SCORED in image["alt"]
        assert "attnviz-image" in image["class"].split()
    assert "colour scale: BuGn" in captioned["alt"]  # the legend, in words
    assert captioned["src"] != plain["src"]
    # the caption's figure keeps its number and label; the plain one's name is the image's id
    assert 'id="fig-image"' in page and "Fig. 1" in page
    assert plain["id"] == "plain-image" and 'href="#plain-image"' in page
    assert sorted(path.name for path in (app.outdir / "_images").iterdir()) == sorted(drawn(app))


def test_image_in_latex_includes_the_pdf_which_compiles(copy_project, tmp_path: Path, capsys) -> None:
    need("latexmk", "pdftotext", "make")
    text = build_pdf_text(copy_project("image"), tmp_path / "out")
    assert "WARNING" not in capsys.readouterr().err
    tex = (tmp_path / "out" / "latex" / "image.tex").read_text(encoding="utf-8")
    included = re.findall(r"\\sphinxincludegraphics\{\{(attnviz-\w+)\}\.pdf\}", tex)
    assert len(included) == 2
    assert all((tmp_path / "out" / "latex" / f"{name}.pdf").is_file() for name in included)
    assert tex.count(r"\colorbox") == len(SAMPLE_TOKENS)  # the figure without :image:
    assert r"\label{\detokenize{index:plain-image}}" in tex
    assert r"\label{\detokenize{index:fig-image}}" in tex
    for _ in range(3):  # the image's text is text in the PDF, like the boxes'
        assert_in_order(SAMPLE_TOKENS, text)
    assert "Fig. 1: The sample, drawn as an image." in text
    assert "BuGn" in text  # the captioned image's legend


def test_rinohtype_gets_every_figure_as_an_image(make_app, copy_project) -> None:
    if os.environ.get("CI") != "true":
        pytest.importorskip("rinoh")
    need("pdftotext")
    app = make_app("rinoh", srcdir=copy_project("image"))
    app.build()
    assert warnings_of(app) == []
    assert len([name for name in drawn(app) if name.endswith(".pdf")]) == 3
    pdf = app.outdir / "image.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for _ in range(3):
        assert_in_order(SAMPLE_TOKENS, text)
    assert "BuGn" in text  # the legend, drawn in the image only


def test_a_builder_without_our_visitor_gets_an_image_in_a_type_it_shows(make_app, copy_project) -> None:
    app = make_app("imagetext", srcdir=copy_project("image"))
    app.build()
    assert warnings_of(app) == []
    assert len(drawn(app)) == 3
    for name in drawn(app):
        assert name.endswith(".png")
        assert (Path(app.doctreedir) / IMAGE_FOLDER / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    written = " ".join((app.outdir / "index.txt").read_text(encoding="utf-8").split())
    assert written.count(f"[image: {SCORED}") == 3  # the text writer shows an image's alt text


@pytest.mark.parametrize(("builder", "output"), [("text", "index.txt"), ("pseudoxml", "index.pseudoxml")])
def test_builders_that_show_no_image_keep_the_figure(make_app, copy_project, builder: str, output: str) -> None:
    app = make_app(builder, srcdir=copy_project("image"))
    app.build()
    assert warnings_of(app) == []
    assert drawn(app) == {}
    written = (app.outdir / output).read_text(encoding="utf-8")
    if builder == "text":
        assert " ".join(written.split()).count(SCORED) == 3
    else:
        assert written.count("<attention_viz") == 3 and written.count('image="1"') == 2


def test_an_unchanged_project_draws_and_warns_nothing_on_a_rebuild(make_app, copy_project) -> None:
    srcdir = copy_project("image")
    app = make_app("html", srcdir=srcdir)
    app.build()
    first, copied = drawn(app), {path.name: path.stat().st_mtime_ns for path in (app.outdir / "_images").iterdir()}
    assert len(first) == 2
    app.build()  # nothing changed: nothing is written
    page = srcdir / "index.rst"
    page.write_text(page.read_text(encoding="utf-8").replace("After the figures.", "After."), encoding="utf-8")
    app.build()  # the page is written again: its images are reused, not drawn or copied again
    assert "After." in (app.outdir / "index.html").read_text(encoding="utf-8")
    assert warnings_of(app) == []
    assert drawn(app) == first
    assert {path.name: path.stat().st_mtime_ns for path in (app.outdir / "_images").iterdir()} == copied


def test_a_parallel_build_draws_each_figure_once_under_its_own_name(make_app, tmp_path: Path) -> None:
    pages = {
        f"page{number}": f".. attention-viz::\n   :tokens: sample.tokens\n   :scores: sample.scores\n"
        f"   :vmax: {number + 1}\n   :image:\n"
        for number in range(6)
    }
    pages["same"] = pages["page0"]  # the same figure on another page: the same file
    srcdir = write_project(tmp_path / "src", ".. toctree::\n\n   " + "\n   ".join(pages) + "\n")
    for name, body in pages.items():
        (srcdir / f"{name}.rst").write_text(f"{name}\n{'=' * len(name)}\n\n{body}", encoding="utf-8")
    app = make_app("html", srcdir=srcdir, parallel=2)
    assert app.is_parallel_allowed("write")
    app.build()
    assert warnings_of(app) == []
    sources = {
        name: attributes(IMG.findall((app.outdir / f"{name}.html").read_text(encoding="utf-8"))[0])["src"]
        for name in pages
    }
    assert len(set(sources.values())) == 6 and sources["same"] == sources["page0"]
    assert sorted(path.name for path in (app.outdir / "_images").iterdir()) == sorted(drawn(app))
    assert all(svg_texts(app.outdir / source) == SAMPLE_TOKENS for source in sources.values())


def test_a_glyph_no_font_has_is_one_warning_each_time_the_page_is_written(make_app, tmp_path: Path) -> None:
    srcdir = write_project(tmp_path / "src", ".. attention-viz::\n   :image:\n\n   \U00013000 0.5\n   ok 0.2\n")
    app = make_app("html", srcdir=srcdir)
    app.build()
    [warning] = warnings_of(app)
    assert "index.rst:4: WARNING: attention-viz: image: no font of" in warning
    assert "U+13000" in warning and warning.endswith("[attnviz.image]")
    first = drawn(app)
    page = srcdir / "index.rst"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    app.build()  # the image is reused, and its warning given again
    assert warnings_of(app) == [warning, warning]
    assert drawn(app) == first


def test_a_bad_figure_is_one_warning_and_the_build_goes_on(make_app, tmp_path: Path) -> None:
    body = """.. attention-viz::
   :tokens: sample.tokens
   :scores: sample.scores
   :image: maybe

.. attention-viz::
   :tokens: sample.tokens
   :scores: sample.scores
   :image:
"""
    app = make_app("html", srcdir=write_project(tmp_path / "src", body))
    app.build()
    [warning] = warnings_of(app)
    assert warning.endswith(
        "WARNING: attention-viz: image must be true or false (or given with no value), not 'maybe' [attnviz.option]"
    )
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "This visualisation could not be drawn." in page
    [image] = IMG.findall(page)
    assert SCORED in attributes(image)["alt"]


def test_a_figure_that_cannot_be_drawn_is_one_warning_and_keeps_its_text(
    make_app, copy_project, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise ValueError("no image today")

    monkeypatch.setattr(images, "save_image", fail)
    app = make_app("html", srcdir=copy_project("image", "html"))
    app.build()
    warnings = warnings_of(app)
    assert len(warnings) == 2  # the two :image: figures
    assert all(
        line.endswith("attention-viz: cannot draw the figure as an image (svg): no image today [attnviz.image]")
        for line in warnings
    )
    assert "index.rst:6:" in warnings[0]
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert [figure.tokens for figure in figures(page)] == [SAMPLE_TOKENS] * 3  # the HTML fragment instead
    assert not IMG.findall(page)
    app.cleanup()

    app = make_app("imagetext", srcdir=copy_project("image", "imagetext"))
    app.build()
    assert len(warnings_of(app)) == 3
    written = " ".join((app.outdir / "index.txt").read_text(encoding="utf-8").split())
    assert written.count(SCORED) == 3  # the rows with their scores, as paragraphs
    assert drawn(app) == {}


def test_myst_md_refuses_image_by_name(tmp_path: Path) -> None:
    from sphinxcontrib_attnviz.myst.directive import run_directive

    node = {
        "type": "mystDirective",
        "name": "attention-viz",
        "position": {"start": {"line": 3}},
        "children": [{"type": "mystOption", "name": "image", "value": True}],
        "value": "wow 0.1\n",
    }
    [note] = run_directive({"node": node}, tmp_path)
    assert note["type"] == "admonition"
    assert "image is an option of the Sphinx directive only" in str(note)


def test_matrix_view_as_an_image(make_app, tmp_path: Path) -> None:
    body = """.. attention-viz::
   :tokens: sample.tokens
   :scores: sample.scores
   :view: matrix
   :image:
"""
    app = make_app("html", srcdir=write_project(tmp_path / "src", body))
    app.build()
    assert warnings_of(app) == []
    [image] = (attributes(tag) for tag in IMG.findall((app.outdir / "index.html").read_text(encoding="utf-8")))
    svg = app.outdir / image["src"]
    assert ET.parse(svg).getroot().tag == f"{SVG}svg"
    assert SCORED.split()[0].split("[")[0] in image["alt"]
