"""The MkDocs plugin through real ``mkdocs build`` (and ``mkdocs serve``) runs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_colors import SAMPLE_COLOURS
from test_sphinx_html import SAMPLE_TOKENS

from pages import ROOTS, figures


def copy_site(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOTS / f"mkdocs-{name}", tmp_path / name))


def mkdocs_build(project: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), *flags]
    return subprocess.run(command, capture_output=True, text=True, env=os.environ | {"NO_COLOR": "1"})


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_strict_build_draws_every_block(tmp_path: Path, theme: str) -> None:
    project = copy_site("basic", tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + f"theme:\n  name: {theme}\n")
    run = mkdocs_build(project)
    assert run.returncode == 0, run.stderr
    index = (project / "site" / "index.html").read_text(encoding="utf-8")
    sample, layers = figures(index)
    assert sample.tokens == SAMPLE_TOKENS
    assert [span.style["background-color"] for span in sample.spans] == SAMPLE_COLOURS
    assert layers.rows[0][:2] == ["[CLS]", "honestly"] and len(layers.rows) == 2
    assert "attnviz-legend" in layers.html
    assert index.index("Before the figure.") < index.index("Between the figures.") < index.index("After the figures.")
    assert index.count("```attention-viz") == 2  # inside another fence, and indented code: left alone
    [sub] = figures((project / "site" / "sub" / "page" / "index.html").read_text(encoding="utf-8"))
    assert sub.tokens == SAMPLE_TOKENS and sub.spans[0].style["background-color"] == "#472e7c"
    assert "assets/attnviz.css" in index and (project / "site" / "assets" / "attnviz.css").is_file()
    # each figure keeps its colour rules in place, and the search index holds none of them
    assert index.count("<style>.attnviz{") == 2 and "attnviz-style-" not in index
    search_index = next((project / "site").glob("search/search_index.json")).read_text(encoding="utf-8")
    assert "Between the figures" in search_index and "attnviz{" not in search_index and "--av-bg" not in search_index


def test_a_bad_block_fails_strict_naming_page_and_file(tmp_path: Path) -> None:
    project = copy_site("bad", tmp_path)
    run = mkdocs_build(project)
    assert run.returncode != 0
    assert "WARNING -  attention-viz: index.md:5: bad.scores:2: not a number: 'not-a-number'" in run.stderr
    lenient = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")], capture_output=True, text=True
    )
    assert lenient.returncode == 0
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert page.index("Before the figure.") < page.index("could not be drawn") < page.index("After the figure.")
    assert "bad.scores:2: not a number" in page


def test_plugin_options_set_the_defaults(tmp_path: Path) -> None:
    project = copy_site("basic", tmp_path)
    (project / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - attention-viz:\n      cmap: viridis\n      alpha: 0\n"
    )
    assert mkdocs_build(project).returncode == 0
    [sub] = figures((project / "site" / "sub" / "page" / "index.html").read_text(encoding="utf-8"))
    sample = figures((project / "site" / "index.html").read_text(encoding="utf-8"))[0]
    assert sample.html == sub.html  # the sub page says cmap: viridis, alpha: 0 itself


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_rerenders_a_page_when_its_data_file_changes(tmp_path: Path) -> None:
    """The data lies outside docs_dir, which mkdocs serve does not watch by itself."""
    project = copy_site("basic", tmp_path)
    shutil.copytree(project / "docs" / "data", project / "outside")
    (project / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - attention-viz:\n      allow_outside_docs_dir: true\n"
    )
    (project / "docs" / "sub" / "page.md").write_text(
        "# Outside\n\n```attention-viz\ntokens: ../../outside/sample.tokens\nscores: ../../outside/sample.scores\n```\n"
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/sub/page/"
        assert figures(fetch(url))[0].spans[6].attrs["title"] == "0.2670"
        scores = project / "outside" / "sample.scores"
        scores.write_text(scores.read_text().replace("0.2669704988390519", "0.5", 1))
        deadline = time.monotonic() + 30
        while figures(fetch(url))[0].spans[6].attrs["title"] != "0.5000":
            assert time.monotonic() < deadline, "the page was not rebuilt after its data file changed"
            time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_bad_default_fails_strict_and_quoted_values_work(tmp_path: Path) -> None:
    project = copy_site("basic", tmp_path)
    (project / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - attention-viz:\n      alpha: -1\n")
    run = mkdocs_build(project)
    assert run.returncode != 0
    assert "plugin option alpha: alpha must be a finite number >= 0, not -1; using 1.0" in run.stderr
    (project / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - attention-viz\n")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text().replace("scale-ignore: [CLS], [SEP]", 'scale-ignore: "[CLS], [SEP]"'))
    assert mkdocs_build(project).returncode == 0
    layers = figures((project / "site" / "index.html").read_text(encoding="utf-8"))[1]
    assert "clipped" in layers.spans[0].attrs["title"]  # [CLS] was left out of the scale


def test_tokenizer_output_shows_its_text(tmp_path: Path) -> None:
    """GPT-2's byte-level tokens with ``subwords: auto``, and a text with offsets."""
    project = copy_site("basic", tmp_path)
    tokenizers = ROOTS / "test-tokenizers"
    for name in ("gpt2.json", "offsets.json"):
        shutil.copy(tokenizers / name, project / "docs" / name)
    (project / "docs" / "tokens.md").write_text(
        "# Tokens\n\n```attention-viz\ndata: gpt2.json\nsubwords: auto\nlegend: true\n```\n\n"
        "```attention-viz\ndata: offsets.json\n```\n",
        encoding="utf-8",
    )
    run = mkdocs_build(project)
    assert run.returncode == 0, run.stderr
    gpt2, offsets = figures((project / "site" / "tokens" / "index.html").read_text(encoding="utf-8"))
    assert gpt2.shown[0].strip() == "The cat don\u2019t like caf\u00e9.\u21b5\n\U0001f60a"
    assert gpt2.words == [[2, 3], [5, 6, 7, 8], [9, 10]]
    assert "subwords: bpe (detected)" in gpt2.html
    assert offsets.shown[0].strip() == "[CLS] Hi, caf\u00e9\n\U0001f60a  x [SEP]"
