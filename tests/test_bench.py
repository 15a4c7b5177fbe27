"""The benchmark script runs (at tiny sizes, so that it cannot rot), the floor and the peer
check are what they say, and enabling the extension without using it does not import
matplotlib."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from pages import ROOTS

BENCHMARKS = ROOTS.parent.parent / "benchmarks"
BENCH = BENCHMARKS / "bench.py"
PEERS_PYTHON = ROOTS.parent.parent / ".venv-bench" / "bin" / "python"


@pytest.fixture(scope="module")
def workloads() -> Iterator[ModuleType]:
    """``benchmarks/workloads.py``."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import workloads

        yield workloads
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_benchmark_smoke_run_prints_the_table(tmp_path: Path) -> None:
    command = [sys.executable, str(BENCH), "--smoke", "--rst", str(tmp_path / "results.txt")]
    run = subprocess.run([*command, "--plot", str(tmp_path / "plot.png")], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "| measure | size | ours | reference | ratio | target | met |"
    table = [line for line in lines if line.startswith("| ")]
    measures = {line.split(" | ")[0].lstrip("| ") for line in table[2:]}
    assert {"core: colour + render", "command line: wall time", "command line: peak RSS"} <= measures
    assert "command line: wall time, first run on a machine (no colour tables cached)" in measures
    assert {"page bytes/token (raw)", "page bytes/token (gzip)", "sphinx: full build vs raw html"} <= measures
    assert any(measure.startswith("sphinx: full build vs raw html with two option lines") for measure in measures)
    assert any("(1 page re-read)" in line for line in lines)
    assert any("matplotlib imported: False" in line for line in lines)
    images = ("SVG, token view", "PNG, token view", "PDF, token view", "PNG, matrix view")
    assert {f"image export: {image}, vs matplotlib plain texts" for image in images} <= measures
    floors = {"core vs the CPython floor: Zipf text", "core vs the CPython floor: all-distinct tokens"}
    assert floors | {"scaling: core, ns/token", "scaling: command line, ns/token"} <= measures
    if PEERS_PYTHON.exists():  # make bench made the bench venv: each peer measured, or a line says why not
        for peer in ("Captum", "inseq", "SHAP"):
            measured = f"peer: {peer} HTML, every token shown as it is" in measures
            assert measured or f"peer {peer} skipped: " in run.stderr
    else:
        assert "peers skipped: no bench venv" in run.stderr
        assert not any(measure.startswith("peer: ") for measure in measures)
    results = (tmp_path / "results.txt").read_text()
    assert results.startswith("Measured on ") and "cores" in results and ".. list-table::" in results
    assert (tmp_path / "plot.png").read_bytes().startswith(b"\x89PNG")


def test_the_peers_are_skipped_with_a_line_without_the_bench_venv(tmp_path: Path) -> None:
    """Only the peers' part (``peer_rows``): the bench venv's Python missing."""
    code = (
        f"import sys; sys.path.insert(0, {str(BENCHMARKS)!r}); from pathlib import Path; import bench; "
        f"print(bench.peer_rows(bench.SMOKE, Path({str(tmp_path)!r}), Path({str(tmp_path / 'none')!r})))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "([], {}, {})"
    assert run.stderr.startswith("peers skipped: no bench venv") and len(run.stderr.splitlines()) == 1


def test_the_floor_escapes_and_colours_each_token(workloads: ModuleType) -> None:
    page = workloads.floor(["a", "<b>", "a&b"], [0.5, 0.25, 1.0], [3, 0, 255])
    assert page == (
        '<span class="attnviz-token c3" title="0.5000">a</span>'
        '<span class="attnviz-token c0" title="0.2500">&lt;b&gt;</span>'
        '<span class="attnviz-token c255" title="1.000">a&amp;b</span>'
    )
    assert workloads.verbatim(page, ["a", "<b>", "a&b"]) == "yes"


def test_the_texts_have_tokens_to_escape_and_are_what_they_say(workloads: ModuleType) -> None:
    tokens, scores = workloads.zipf_text(1_000)
    assert len(tokens) == len(scores) == 1_000 and all(0 <= score < 1 for score in scores)
    assert any("<" in token for token in tokens) and any("&" in token for token in tokens)
    assert set(workloads.ENTITIES) & set(tokens)
    assert len(set(tokens)) < 800  # a few words make most of the text
    distinct, _ = workloads.distinct_text(1_000)
    assert len(set(distinct)) == 1_000 and all("&" in token for token in distinct)


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("<td><mark> a </mark><mark> &lt;b&gt; </mark><mark> &amp;lt; </mark></td>", "yes"),
        ("<p>a</p><p>1</p><p><b></p><p>2</p><p>&lt;</p>", "no: 2 of 3 distinct tokens (e.g. '<b>', '&lt;')"),
        ("<p>a</p><p>#b</p><p>&amp;lt;</p>", "no: 1 of 3 distinct tokens (e.g. '<b>')"),
        # tokens sorted elsewhere first (SHAP's axis), then in order: matched from the end
        ("<svg><text>&amp;lt;</text><text>a</text></svg><div>a</div><div>&lt;b&gt;</div><div>&amp;lt;</div>", "yes"),
        ("<style>a</style><p>&lt;b&gt;</p><p>&amp;lt;</p>", "no: 1 of 3 distinct tokens (e.g. 'a')"),
    ],
)
def test_a_page_shows_every_token_as_it_is_or_says_which_not(workloads: ModuleType, page: str, shown: str) -> None:
    assert workloads.verbatim(page, ["a", "<b>", "&lt;"]) == shown
