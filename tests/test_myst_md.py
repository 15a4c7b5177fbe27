"""MyST-MD (Jupyter Book 2): real ``myst build --site`` runs of a project that uses the
executable plugin (``python -m sphinxcontrib_attnviz.myst``), read from the page AST
MyST writes (``_build/site/content/*.json``).

``myst build --html`` and ``myst start`` download a site theme, which no machine here
can reach; ``--site`` with a local template (``tests/roots/mystmd-basic/template``)
writes the page AST offline. Needs ``myst`` (``pip install mystmd``, Node.js >= 18);
without it the tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sphinx.cmd.build import build_main

from pages import ROOTS, figures
from sphinxcontrib_attnviz.myst import PLUGIN_SPEC, write_script

Node = dict[str, Any]
BASIC = ROOTS / "mystmd-basic"


def myst_executable() -> str:
    """The ``myst`` command: on PATH, or beside the Python running the tests."""
    found = shutil.which("myst") or shutil.which("myst", path=str(Path(sys.executable).parent))
    if found is None:
        message = "missing myst: pip install mystmd (needs Node.js >= 18)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def build_site(project: Path) -> dict[str, Node]:
    """Write the plugin's script (for the Python running the tests) into ``project``,
    run ``myst build --site`` there, return each page's AST by its file name."""
    write_script(project / "attnviz-myst", sys.executable)
    run = subprocess.run(
        [myst_executable(), "build", "--site"], cwd=project, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stdout + run.stderr
    content = project / "_build" / "site" / "content"
    return {path.stem: json.loads(path.read_text(encoding="utf-8"))["mdast"] for path in content.glob("*.json")}


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.get("children", ()):
        yield from walk(child)


def attnviz_nodes(page: Node) -> list[Node]:
    """The page's figures (``block.attnviz-myst``) and notes (``admonition.attnviz-error``), in order."""
    return [node for node in walk(page) if node.get("class") in ("attnviz-myst", "attnviz-error")]


def note_text(note: Node) -> str:
    return "".join(node.get("value", "") for node in walk(note) if node.get("type") == "text")


def web_tokens(figure: Node) -> list[tuple[str, str, str]]:
    """What the web part draws, as MyST turned its HTML into AST: each token's text and colours."""
    return [
        (
            "".join(node.get("value", "") for node in walk(span)),
            span["style"]["backgroundColor"],
            span["style"]["color"],
        )
        for span in walk(figure)
        if span.get("type") == "span" and "attnviz-token" in span.get("class", "").split()
    ]


def sphinx_fragments(tmp_path: Path, rst: str, data: Path) -> list[str]:
    """The fragments the Sphinx directive writes for the directives in ``rst``."""
    docs = tmp_path / "sphinx"
    shutil.copytree(data, docs / "data")
    (docs / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\n')
    (docs / "index.rst").write_text(f"Figures\n=======\n\n{rst}", encoding="utf-8")
    assert build_main(["-q", "-b", "html", str(docs), str(docs / "_build")]) == 0
    return [figure.html for figure in figures((docs / "_build" / "index.html").read_text(encoding="utf-8"))]


SAME_FIGURES_RST = """
.. attention-viz::
   :tokens: data/sample.tokens
   :scores: data/sample.scores
   :cmap: magma_r
   :alpha: 0.5

.. attention-viz:: data/layers.json
   :center: 0.1
   :legend:
   :rows: layer_6, layer_2
   :caption: CLS attention, layers 6 and 2
   :name: fig-layers

.. attention-viz::
   :cmap: viridis

   wow 0.1
   this 0.4
   movie 0.2
"""


def test_plugin_spec_names_every_option() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_attnviz.myst"], capture_output=True, text=True, check=True
    )
    assert json.loads(run.stdout) == PLUGIN_SPEC
    [directive] = PLUGIN_SPEC["directives"]
    assert directive["name"] == "attention-viz"
    assert list(directive["options"])[:3] == ["tokens", "text", "scores"]
    assert {"cmap", "scale-ignore", "caption", "name", "class"} <= set(directive["options"])


def run_plugin(node: dict[str, Any], folder: Path) -> subprocess.CompletedProcess[str]:
    """The plugin run as MyST runs it, on one directive ``node``, in the project ``folder``."""
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_attnviz.myst", "--directive", "attention-viz"],
        input=json.dumps({"name": "attention-viz", "node": node}),
        capture_output=True,
        text=True,
        cwd=folder,
        check=True,
    )


def test_bad_block_writes_to_stderr(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("# Page\n\n```{attention-viz}\n:cmpa: x\n```\n")
    node = {
        "type": "mystDirective",
        "name": "attention-viz",
        "position": {"start": {"line": 3}, "end": {"line": 5}},
        "children": [{"type": "mystOption", "name": "cmpa", "value": "x", "position": {"start": {"line": 4}}}],
    }
    run = run_plugin(node, tmp_path)
    [note] = json.loads(run.stdout)
    assert "page.md:3: attention-viz: unknown option 'cmpa' (did you mean 'cmap'?)" in run.stderr
    assert "page.md:3: attention-viz: unknown option 'cmpa'" in note_text(note)


def test_myst_build(tmp_path: Path) -> None:
    project = Path(shutil.copytree(BASIC, tmp_path / "project"))
    pages = build_site(project)

    first, second, third, missing, bad_number, unknown = attnviz_nodes(pages["index"])
    built = [first, second, third]
    assert all(node["type"] == "block" for node in built)
    # the same fragment as the Sphinx directive's for the same inputs
    expected = sphinx_fragments(tmp_path, SAME_FIGURES_RST, BASIC / "data")
    assert [node["data"]["attnviz_html"] for node in built] == expected
    # the web part: the same tokens in the same (light) colours, as MyST's own AST
    for node, html in zip(built, expected, strict=True):
        [figure] = figures(html)
        assert web_tokens(node) == [
            (span.text, span.style["background-color"], span.style["color"]) for span in figure.spans
        ]
    # the LaTeX part: raw TeX for MyST's tex export, kept out of the site
    raw = [child for child in second["children"] if child["type"] == "raw"]
    assert raw[0]["lang"] == "tex" and "\\colorbox[HTML]" in raw[0]["tex"] and "[CLS]" in raw[0]["tex"]
    # a caption makes a numbered, labelled figure
    [container] = [node for node in walk(pages["index"]) if node.get("type") == "container"]
    assert (container["kind"], container["identifier"], container["enumerator"]) == ("figure", "fig-layers", "1")
    assert "CLS attention, layers 6 and 2" in note_text(container["children"][-1])

    # each bad block leaves a visible note naming the file and line; the build went on
    assert all(node["type"] == "admonition" and node["kind"] == "warning" for node in (missing, bad_number, unknown))
    assert "index.md:34: attention-viz: data/no-such.scores: file not found" in note_text(missing)
    assert "index.md:43: not a number: 'high'" in note_text(bad_number)
    assert "index.md:48: attention-viz: unknown option 'cmpa' (did you mean 'cmap'?)" in note_text(unknown)

    # paths relative to the page, and from the project's folder with a leading /
    relative, absolute = attnviz_nodes(pages["page"])
    assert relative["data"]["attnviz_html"] == absolute["data"]["attnviz_html"]
    assert "layer_1" in relative["data"]["attnviz_html"]


def myst_fragment(tmp_path: Path, data_file: Path, options: dict[str, str]) -> str:
    """Build one figure through ``myst build --site`` from the JSON ``data_file`` with
    ``options`` (the directive's option names and values); return its HTML fragment, the
    one the Sphinx directive writes for the same data and options."""
    project = tmp_path / "myst"
    project.mkdir()
    shutil.copytree(BASIC / "template", project / "template")
    shutil.copy(data_file, project / "data.json")
    (project / "myst.yml").write_text(
        "version: 1\nproject:\n  title: fronts\n  plugins:\n    - type: executable\n      path: attnviz-myst\n"
        "site:\n  template: ./template\n",
        encoding="utf-8",
    )
    lines = "".join(f":{name}: {value}\n" for name, value in options.items())
    (project / "index.md").write_text(f"# Fronts\n\n```{{attention-viz}} data.json\n{lines}```\n", encoding="utf-8")
    pages = build_site(project)
    [node] = attnviz_nodes(pages["index"])
    assert node["type"] == "block", note_text(node)
    return node["data"]["attnviz_html"]


def test_myst_fragment_equals_sphinx(tmp_path: Path) -> None:
    options = {"cmap": "PiYG", "center": "0.1", "legend": "true", "scale-ignore": "[CLS], [SEP]", "rows": "layer_2"}
    rst = ".. attention-viz:: data/layers.json\n" + "".join(f"   :{name}: {value}\n" for name, value in options.items())
    [expected] = sphinx_fragments(tmp_path, rst, BASIC / "data")
    assert myst_fragment(tmp_path, BASIC / "data" / "layers.json", options) == expected


@pytest.mark.parametrize("path", ["/loop/x.json", "/a\u0000b.json"], ids=["symlink-loop", "nul"])
def test_a_path_that_cannot_be_resolved_is_a_note_not_a_crash(tmp_path: Path, path: str) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "page.md").write_text("# Page\n\n```{attention-viz} x\n```\n")
    node = {
        "type": "mystDirective",
        "name": "attention-viz",
        "args": path,
        "position": {"start": {"line": 3}, "end": {"line": 4}},
        "children": [],
    }
    run = run_plugin(node, tmp_path)
    [note] = json.loads(run.stdout)
    assert "could not be drawn" in note_text(note) and "Traceback" not in run.stderr
