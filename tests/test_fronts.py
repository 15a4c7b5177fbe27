"""One core, six fronts: the Sphinx directive, the MkDocs plugin, the MyST-MD plugin, the
Quarto filter, the command line and the API give the same fragment for the same data and
options."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sphinx.cmd.build import build_main
from test_myst_md import myst_fragment
from test_quarto import quarto_fragment

from pages import ROOTS, figures
from sphinxcontrib_attnviz import render_html

OPTIONS = {
    "cmap": "PiYG",
    "alpha": "0.5",
    "center": "0.1",
    "legend": "true",
    "scale-ignore": "[CLS], [SEP]",
    "subwords": "wordpiece",
    "rows": "layer_6, layer_2",
    "class": "paper-figure",
}


def fronts_data() -> dict[str, list]:
    """Rows of scores whose tokens hold a subword piece, a tab and control characters."""
    layers = json.loads((ROOTS / "test-options" / "layers.json").read_text())
    layers["tokens"][2:4] = ["sur", "##prised"]  # a continuation piece, for the subword option
    layers["tokens"][6:8] = ["me\tand", "i\u0002\u0003"]  # a tab and controls, which Markdown would change
    return layers


def api_fragment(layers: dict[str, list]) -> str:
    return render_html(
        layers["tokens"], layers["scores"], **{name.replace("-", "_"): value for name, value in OPTIONS.items()}
    )


def test_every_front_gives_the_same_fragment(tmp_path: Path) -> None:
    layers = fronts_data()

    docs = tmp_path / "sphinx"
    docs.mkdir()
    (docs / "layers.json").write_text(json.dumps(layers))
    (docs / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\n')
    options = "".join(f"   :{name}: {value}\n" for name, value in OPTIONS.items())
    (docs / "index.rst").write_text(f"Fronts\n======\n\n.. attention-viz:: layers.json\n{options}")
    assert build_main(["-q", "-W", "-b", "html", str(docs), str(docs / "_build")]) == 0
    [directive] = figures((docs / "_build" / "index.html").read_text(encoding="utf-8"))

    site = tmp_path / "mkdocs"
    (site / "docs").mkdir(parents=True)
    shutil.copy(docs / "layers.json", site / "docs")
    (site / "mkdocs.yml").write_text("site_name: fronts\nplugins:\n  - attention-viz\n")
    block = "".join(f"{name}: {value}\n" for name, value in OPTIONS.items())
    (site / "docs" / "index.md").write_text(f"# Fronts\n\n```attention-viz\ndata: layers.json\n{block}```\n")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml")],
        check=True,
        capture_output=True,
    )
    [plugin] = figures((site / "site" / "index.html").read_text(encoding="utf-8"))

    flags = [f"--{name}" for name in OPTIONS]
    arguments = [part for flag, value in zip(flags, OPTIONS.values(), strict=True) for part in (flag, value)]
    arguments = [argument for argument in arguments if argument != "true"]  # --legend is a bare flag
    cli = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_attnviz", "--data", str(docs / "layers.json"), "--fragment", *arguments],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    api = api_fragment(layers)

    assert "paper-figure" in directive.classes and len(directive.rows) == 2
    assert directive.rows[0][6:8] == ["me\u2409and", "i\u2402\u2403"]
    assert directive.html == plugin.html == cli.strip() == api


def test_myst_md_and_quarto_give_the_api_fragment(tmp_path: Path) -> None:
    """The two fronts that run outside Python's reach (a MyST-MD executable plugin, a
    Pandoc Lua filter calling the command line), with the same data and options."""
    layers = fronts_data()
    data = tmp_path / "layers.json"
    data.write_text(json.dumps(layers))
    expected = api_fragment(layers)
    assert myst_fragment(tmp_path, data, OPTIONS) == expected
    assert quarto_fragment(tmp_path, data, OPTIONS).strip() == expected
