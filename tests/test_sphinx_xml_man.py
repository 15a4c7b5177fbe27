"""XML and pseudo-XML carry a figure's data (tokens, scores per row, options), not a Python repr;
man and text outputs set a figure apart from the paragraph before and after it."""

from __future__ import annotations

import json
import pickle
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_sphinx_builders import read_written

from sphinxcontrib_attnviz.sphinx.nodes import attention_viz

TOKENS = [f"tok{index}" for index in range(12)]
ROWS = {f"layer_{row}": [round((row * 12 + index) / 50, 4) for index in range(12)] for row in range(4)}
#: What a Python repr of the core's objects would show.
REPR_MARKERS = ("Visualization(", "ColouredRow(", "array(", "Palette(", "TokenDisplay(")

INDEX = """\
Title
=====

Intro text:

.. attention-viz:: rows.json
   :cmap: viridis
   :legend:
   :alpha: 0.5

Between text.

.. attention-viz::
   :center: 0

   a 0.1
   b -0.9

After text.
"""


def write_project(path: Path) -> Path:
    path.mkdir()
    (path / "conf.py").write_text(
        'project = "P"\nextensions = ["sphinxcontrib_attnviz"]\nman_pages = [("index", "p", "P", [], 1)]\n'
    )
    (path / "index.rst").write_text(INDEX)
    (path / "rows.json").write_text(json.dumps({"tokens": TOKENS, "scores": ROWS}))
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "src")


def build(make_app, srcdir: Path, builder: str):
    app = make_app(builder, srcdir=srcdir)
    app.build()
    assert "WARNING" not in app.warning.getvalue()
    return app


def test_xml_carries_tokens_scores_and_options_as_data(make_app, project: Path) -> None:
    app = build(make_app, project, "xml")
    text = (app.outdir / "index.xml").read_text(encoding="utf-8")
    assert not any(marker in text for marker in REPR_MARKERS)
    figures = ET.fromstring(text).findall(".//attention_viz")
    assert len(figures) == 2
    first, second = figures
    assert first.get("tokens", "").split(" ") == TOKENS
    assert (first.get("cmap"), first.get("alpha"), first.get("legend")) == ("viridis", "0.5", "1")
    assert float(first.get("vmin", "nan")) < 0.0 < 1.0 < float(first.get("vmax", "nan"))  # widened by alpha
    rows = first.findall("paragraph")
    assert [row.get("label") for row in rows] == list(ROWS)
    assert [[float(score) for score in row.get("scores", "").split()] for row in rows] == list(ROWS.values())
    assert second.get("tokens") == "a b"
    assert float(second.get("center", "nan")) == 0.0
    (row,) = second.findall("paragraph")
    assert row.get("label") is None
    assert row.get("scores") == "0.1 -0.9"


def test_xml_size_per_figure_is_its_data_and_little_more(make_app, project: Path) -> None:
    app = build(make_app, project, "xml")
    text = (app.outdir / "index.xml").read_text(encoding="utf-8")
    for figure in re.findall(r"<attention_viz .*?</attention_viz>", text, flags=re.S):
        data = re.findall(r' (?:tokens|scores)="([^"]*)"', figure)
        assert data
        assert len(figure.encode()) - sum(len(value.encode()) for value in data) < 2048


def test_pseudoxml_has_no_repr(make_app, project: Path) -> None:
    app = build(make_app, project, "pseudoxml")
    text = (app.outdir / "index.pseudoxml").read_text(encoding="utf-8")
    assert not any(marker in text for marker in REPR_MARKERS)
    assert f'tokens="{" ".join(TOKENS)}"' in text
    assert 'label="layer_3"' in text
    assert len(text.encode()) < 8192


def test_node_keeps_its_visualization_through_pickle_and_copy(make_app, project: Path) -> None:
    """What incremental and parallel builds and Sphinx's copies of a doctree rely on."""
    app = build(make_app, project, "xml")
    doctree = app.env.get_doctree("index")
    node = next(doctree.findall(attention_viz))
    for copy in (pickle.loads(pickle.dumps(node)), node.deepcopy(), node.copy()):
        assert copy["viz"].tokens == tuple(TOKENS)
        assert "viz" not in dict(copy.attlist())
        assert "Visualization(" not in copy.starttag()


def test_man_figure_is_a_paragraph_of_its_own(make_app, project: Path) -> None:
    app = build(make_app, project, "man")
    lines = [" ".join(line.split()) for line in read_written(app.outdir / "p.1").splitlines()]  # undo adjusting
    intro = lines.index("Intro text:")
    first_row = next(index for index, line in enumerate(lines) if line.startswith("layer_0: tok0["))
    assert lines[intro + 1 : first_row] == [""]
    between = lines.index("Between text.")
    assert lines[between - 1] == ""
    assert lines[between + 1] == ""
    assert lines[between + 2].startswith("a[0.1000] b[")
    assert lines[between + 3] == ""
    assert lines[between + 4] == "After text."


def test_text_figure_has_a_blank_line_before_and_after(make_app, project: Path) -> None:
    app = build(make_app, project, "text")
    lines = (app.outdir / "index.txt").read_text(encoding="utf-8").splitlines()
    intro = lines.index("Intro text:")
    assert lines[intro + 1] == ""
    assert lines[intro + 2].startswith("layer_0: tok0[")
    between = lines.index("Between text.")
    assert lines[between - 1] == ""
    assert lines[between - 2].startswith("colour scale: viridis")
    assert lines[between + 1 : between + 4] == ["", "a[0.1000] b[-0.9000]", ""]
    assert lines[between + 4] == "After text."
