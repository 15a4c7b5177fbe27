"""The MkDocs plugin through real ``mkdocs build`` (and ``mkdocs serve``) runs."""

from __future__ import annotations

import json
import os
import re
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
from sphinxcontrib_attnviz import render_html


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


#: The placeholder a block stands as in the Markdown, until the page's HTML is made.
PLACEHOLDER = re.compile(r"attnviz[0-9a-f]{16}figure")
#: The tokens of tests/roots/mkdocs-verbatim/docs/controls.json, as every front shows them.
CONTROLS_SHOWN = ["a\u2409b", "x\u2402y", "p\u2403q", "{++ins++}", "{~~a~>b~~}", "\u2423\u2423"]


def plugin_warnings(run: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in run.stderr.splitlines() if "attention-viz:" in line]


def search_index(project: Path) -> str:
    return (project / "site" / "search" / "search_index.json").read_text(encoding="utf-8")


def test_tokens_from_a_data_file_arrive_verbatim(tmp_path: Path) -> None:
    """A tab, U+0002 and U+0003 (which Python-Markdown expands or removes) and CriticMarkup
    in tokens: the page holds exactly the API's fragment, wherever the block stands."""
    project = copy_site("verbatim", tmp_path)
    run = mkdocs_build(project)
    assert run.returncode == 0, run.stderr
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    data = json.loads((project / "docs" / "controls.json").read_text(encoding="utf-8"))
    expected = render_html(data["tokens"], data["scores"])
    shown = figures(page)
    assert len(shown) == 3  # at the top level, in <div markdown>, in a raw <div>
    for figure in shown:
        assert figure.tokens == CONTROLS_SHOWN
        assert figure.html == expected
    assert page.index("Before the figures.") < page.index('class="attnviz') < page.index("After the figures.")
    assert not PLACEHOLDER.search(page) and "attnviz-style-" not in page
    index = search_index(project)
    assert "Before the figures" in index and "{++ins++}" in index
    assert "attnviz{" not in index and "--av-bg" not in index and not PLACEHOLDER.search(index)


FRONT_MATTER = {
    "none": "",
    "yaml": "---\ntitle: Inline\ntags: [a, b]\n---\n\n\n",
    "multimarkdown": "Title: Inline\nAuthors: A\n    B\n\n\n",
}


@pytest.mark.parametrize("front", FRONT_MATTER)
def test_inline_data_is_read_as_written(tmp_path: Path, front: str) -> None:
    """Options, a blank line, then ``token score`` lines; or data only. Tabs between token
    and score and inside tokens, and control characters, are kept."""
    project = copy_site("verbatim", tmp_path)
    (project / "docs" / "index.md").write_text(
        FRONT_MATTER[front] + "# Inline\n\n"
        "```attention-viz\ncmap: viridis\nlegend: true\n\nwow\t0.1\nx\u0002y 0.5\na\tb\t0.2\n\tp\u0003q   0.3\n```\n\n"
        "~~~attention-viz\nwow 0.1\n\n[CLS] -0.25\n~~~\n\n"
        "```attention-viz\n\nNote: 0.3\nalpha: 0.1\n```\n",
        encoding="utf-8",
    )
    run = mkdocs_build(project)
    assert run.returncode == 0, run.stderr
    options, only_data, blank_first = figures((project / "site" / "index.html").read_text(encoding="utf-8"))
    assert options.tokens == ["wow", "x\u2402y", "a\u2409b", "p\u2403q"]
    assert options.html == render_html(
        ["wow", "x\u0002y", "a\tb", "p\u0003q"], [0.1, 0.5, 0.2, 0.3], cmap="viridis", legend=True
    )
    assert only_data.html == render_html(["wow", "[CLS]"], [0.1, -0.25])
    assert blank_first.tokens == ["Note:", "alpha:"]  # a block that starts with a blank line is data only


@pytest.mark.parametrize("front", FRONT_MATTER)
def test_a_bad_inline_line_is_one_warning_at_its_line(tmp_path: Path, front: str) -> None:
    project = copy_site("verbatim", tmp_path)
    page = "# Bad\n\nBefore the figure.\n\n```attention-viz\nwow 0.1\nnice\tn/a\n```\n\nAfter the figure.\n"
    page += "\n```attention-viz\ndata: controls.json\n```\n"
    (project / "docs" / "index.md").write_text(FRONT_MATTER[front] + page, encoding="utf-8")
    line = FRONT_MATTER[front].count("\n") + 7
    run = mkdocs_build(project)
    assert run.returncode != 0
    assert plugin_warnings(run) == [f"WARNING -  attention-viz: index.md:{line}: not a number: 'n/a'"]
    assert mkdocs_build(project, "--no-strict").returncode == 0
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert html.index("Before the figure.") < html.index("could not be drawn") < html.index("After the figure.")
    assert f"index.md:{line}: not a number: &#x27;n/a&#x27;" in html or f"index.md:{line}: not a number: 'n/a'" in html
    [after] = figures(html)
    assert after.tokens == CONTROLS_SHOWN


def test_block_errors_name_the_page_line(tmp_path: Path) -> None:
    """Each a single warning at the line to fix: inline data next to a data file, a typo'd
    key, an option after the blank line, a data-only block whose first line is no pair."""
    project = copy_site("verbatim", tmp_path)
    (project / "docs" / "index.md").write_text(
        "---\ntitle: Errors\n---\n\n# Errors\n\n"  # lines 1-6
        "```attention-viz\ndata: controls.json\n\nwow 0.1\n```\n\n"  # 7-12
        "```attention-viz\ncmpa: viridis\ndata: controls.json\n```\n\n"  # 13-17
        "```attention-viz\ndata: controls.json\n\nlegend: true\n```\n\n"  # 18-23
        "```attention-viz\ntokens data/x.tokens\n```\n\n"  # 24-27
        "```attention-viz\nNote: 0.3\n```\n\n"  # 28-31
        "```attention-viz\n```\n\n"  # 32-34
        "After the blocks.\n",
        encoding="utf-8",
    )
    run = mkdocs_build(project)
    assert run.returncode != 0
    keys = (
        "data, tokens, text, scores, format, sequence, step, reduce, cmap, dark-cmap, alpha, vmin, vmax, center, legend"
    )
    keys += ", subwords, scale-ignore, rows, class, layout, normalize, normalize-over, aggregate, view"
    prefix = "WARNING -  attention-viz: index.md:"
    assert plugin_warnings(run) == [
        f"{prefix}7: more than one data source (data and inline lines); give exactly one",
        f"{prefix}14: unknown key 'cmpa' (did you mean 'cmap'?); the keys are {keys}",
        f"{prefix}21: 'legend: true' is an option line after a blank line, where inline data ('token score' lines)"
        " begins: write the options first, with no blank line before or between them",
        f"{prefix}25: not a number: 'data/x.tokens' (the block is read as inline data, 'token score' lines:"
        " its first line is not 'key: value')",
        f"{prefix}29: expected 'key: value' with a key among {keys}, not 'Note: 0.3'"
        " (if this line is inline data, start the block with a blank line)",
        f"{prefix}32: no data: give data, or tokens and scores, or inline lines",
    ]
    assert mkdocs_build(project, "--no-strict").returncode == 0
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert html.count("could not be drawn") == 6 and "After the blocks." in html


def test_max_tokens_bounds_every_figure(tmp_path: Path) -> None:
    project = copy_site("verbatim", tmp_path)
    (project / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - attention-viz:\n      max_tokens: 3\n")
    (project / "docs" / "index.md").write_text(
        "# Limit\n\n```attention-viz\ndata: controls.json\n```\n\n"
        "```attention-viz\na 1\nb 2\nc 3\n```\n\n"
        "```attention-viz\na 1\nb 2\nc 3\nd 4\ne 5\n```\n",
        encoding="utf-8",
    )
    run = mkdocs_build(project)
    assert run.returncode != 0
    [data_file, inline] = plugin_warnings(run)
    assert data_file.startswith("WARNING -  attention-viz: index.md:3: controls.json")
    too_many = "more than 3 tokens: too many for one figure in a docs build; raise the plugin option max_tokens"
    assert too_many in data_file
    assert inline == f"WARNING -  attention-viz: index.md:17: {too_many} (mkdocs.yml) to draw it"
    assert len(figures((project / "site" / "index.html").read_text(encoding="utf-8"))) == 1


@pytest.mark.parametrize("value", ["0", "-5", "lots", "true", "2.5"])
def test_a_bad_max_tokens_is_a_warning_and_the_default(tmp_path: Path, value: str) -> None:
    project = copy_site("verbatim", tmp_path)
    (project / "mkdocs.yml").write_text(f"site_name: t\nplugins:\n  - attention-viz:\n      max_tokens: {value}\n")
    run = mkdocs_build(project)
    assert run.returncode != 0
    [warning] = plugin_warnings(run)
    assert "plugin option max_tokens: must be a positive integer, not" in warning and warning.endswith("using 200000")
    assert mkdocs_build(project, "--no-strict").returncode == 0
    assert len(figures((project / "site" / "index.html").read_text(encoding="utf-8"))) == 3


#: A Markdown extension that drops the second figure's placeholder paragraph, as a careless
#: extension might.
DROP_SECOND_PLACEHOLDER = """
import re
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

class Drop(Postprocessor):
    def run(self, text):
        return re.sub(r"<p>attnviz[0-9a-f]{16}figure1</p>", "", text)

class DropExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(Drop(md), "drop_second_figure", 0)

def makeExtension(**kwargs):
    return DropExtension(**kwargs)
"""


@pytest.mark.parametrize("superfences", [False, True])
def test_a_lost_placeholder_is_a_warning(tmp_path: Path, superfences: bool) -> None:
    """Should a Markdown extension ever remove a block's placeholder, the missing figure is
    a warning at its block's line, not a silent gap."""
    project = copy_site("verbatim", tmp_path)
    (tmp_path / "drop_second_figure.py").write_text(DROP_SECOND_PLACEHOLDER)
    extensions = ["drop_second_figure", *(["pymdownx.superfences"] if superfences else [])]
    (project / "mkdocs.yml").write_text(
        f"site_name: t\nplugins:\n  - attention-viz\nmarkdown_extensions: {json.dumps(extensions)}\n"
    )
    blocks = "```attention-viz\nkept 0.1\n```\n\n```attention-viz\nlost 0.2\n```\n"
    (project / "docs" / "index.md").write_text(f"# Lost\n\n{blocks}")
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")]
    environment = os.environ | {"NO_COLOR": "1", "PYTHONPATH": str(tmp_path)}
    run = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert run.returncode == 0, run.stderr
    assert plugin_warnings(run) == [
        "WARNING -  attention-viz: index.md:7: the block's place in the page was lost "
        "(a Markdown extension removed or changed it): the visualisation is missing"
    ]
    [kept] = figures((project / "site" / "index.html").read_text(encoding="utf-8"))
    assert kept.tokens == ["kept"]
