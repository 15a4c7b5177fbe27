"""Other tools' files through every front, with no conversion step: an inseq file (plain,
gzip, primitives) and the Captum, SHAP, ferret, transformers-interpret and LIT exports,
found by content or named with ``format``; a file of another shape, a truncated one or a
misnamed format is one located warning naming the format it was taken for."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pages import figures
from sphinxcontrib_attnviz import AttentionViz
from sphinxcontrib_attnviz.render import format_scores
from sphinxcontrib_attnviz.render.html import MISSING_TITLE

DATA = Path(__file__).parent / "data"
INSEQ = json.loads((DATA / "inseq" / "reference.json").read_text(encoding="utf-8"))["gpt2_saliency"]["sequences"]
#: Each tool's export (tests/data/tools, made by scripts/make_tool_examples.py).
TOOLS = [
    "captum_records.json",
    "captum_llm.json",
    "shap_text.npz",
    "shap_text.json",
    "ferret_explanations.json",
    "transformers_interpret.json",
    "lit_salience.json",
]


def expected_rows(name: str) -> tuple[list[str], dict[str, list[float]]]:
    """The tokens and rows the generating script saved beside each export, as plain TSV."""
    lines = (DATA / "tools" / name.replace(".npz", ".expected.tsv").replace(".json", ".expected.tsv")).read_text()
    header, *rows = [line.split("\t") for line in lines.splitlines()]
    tokens = [json.loads(row[0]) for row in rows]
    return tokens, {label: [float(row[index + 1]) for row in rows] for index, label in enumerate(header[1:])}


def inseq_titles(sequence: int, step: int) -> list[str]:
    """What inseq itself computed for a step's column (its default aggregation), as titles."""
    column = [row[step] for row in INSEQ[sequence]["aggregated_target_attributions"]]
    return [
        MISSING_TITLE if value is None else text
        for value, text in zip(
            column, format_scores(np.array([np.nan if value is None else value for value in column])), strict=True
        )
    ]


def sphinx_build(tmp_path: Path, page: str, extra: dict[str, bytes] | None = None) -> tuple[str, list[str]]:
    """Build ``page`` with the test data (and ``extra`` files) in ``data/``: the page's HTML and the warnings."""
    source = tmp_path / "src"
    shutil.copytree(DATA, source / "data")
    for name, content in (extra or {}).items():
        (source / "data" / name).write_bytes(content)
    (source / "conf.py").write_text("extensions = ['sphinxcontrib_attnviz']\nshow_warning_types = True\n")
    (source / "index.rst").write_text(page)
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(source), str(tmp_path / "out")]
    run = subprocess.run(command, capture_output=True, text=True, env=os.environ | {"NO_COLOR": "1"})
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    return html, [line for line in run.stderr.splitlines() if "WARNING" in line]


CLI = [sys.executable, "-m", "sphinxcontrib_attnviz"]
INSEQ_FILES = ["gpt2_saliency.json", "gpt2_saliency.json.gz", "gpt2_saliency.primitives.json"]


def test_inseq_files_render_in_sphinx_as_inseq_computed_them(tmp_path: Path) -> None:
    page = "Tools\n=====\n\n" + "".join(
        f".. attention-viz:: data/inseq/{name}\n   :sequence: 1\n   :step: 2\n\n" for name in INSEQ_FILES
    )
    html, warnings = sphinx_build(tmp_path, page)
    assert warnings == []
    drawn = figures(html)
    assert len(drawn) == 3
    for figure in drawn:
        [row] = figure.rows
        assert row == INSEQ[1]["target"]
        assert [span.attrs["title"] for span in figure.spans] == inseq_titles(1, 2)
        # the tokens not generated yet at step 2 are blank, and marked
        missing = ["attnviz-missing" in span.attrs["class"] for span in figure.spans]
        assert missing == [value is None for value in (r[2] for r in INSEQ[1]["aggregated_target_attributions"])]
        assert any(missing) and not all(missing)
    assert drawn[0].html == drawn[1].html == drawn[2].html


def test_inseq_in_mkdocs_and_the_command_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA / "inseq", site / "docs" / "inseq")
    (site / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - attention-viz\n")
    (site / "docs" / "index.md").write_text(
        "# inseq\n\n```attention-viz\ndata: inseq/gpt2_saliency.json.gz\nsequence: 1\nstep: 2\n```\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    [figure] = figures((site / "site" / "index.html").read_text(encoding="utf-8"))
    assert [span.attrs["title"] for span in figure.spans] == inseq_titles(1, 2)
    cli = subprocess.run(
        [*CLI, "--data", str(DATA / "inseq" / "gpt2_saliency.json.gz"), "--sequence", "1", "--step", "2", "--fragment"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    api = AttentionViz.from_files(DATA / "inseq" / "gpt2_saliency.json.gz", sequence=1, step=2).to_html()
    assert cli.strip() == api == figure.html


@pytest.mark.parametrize("name", TOOLS)
def test_each_tool_export_is_found_by_content_with_the_tools_row_names(name: str) -> None:
    tokens, rows = expected_rows(name)
    viz = AttentionViz.from_files(DATA / "tools" / name).visualization
    assert list(viz.tokens) == tokens
    labels = [row.label for row in viz.rows]
    assert labels == ([None] if list(rows) == ["scores"] else list(rows)), labels  # "scores": the tool names none
    for row, expected in zip(viz.rows, rows.values(), strict=True):
        np.testing.assert_array_equal(row.scores, np.array(expected))


def test_tool_files_in_sphinx_and_their_errors(tmp_path: Path) -> None:
    extra = {
        "truncated.json": (DATA / "inseq" / "gpt2_saliency.json").read_bytes()[:5000],
        "other.json": b'{"words": ["a"], "weights": [1]}',
    }
    page = (
        "Tools\n=====\n\n"
        ".. attention-viz:: data/tools/captum_records.json\n\n"  # 4: drawn
        ".. attention-viz:: data/tools/captum_records.json\n   :format: shap\n\n"  # 6: the wrong format named
        ".. attention-viz:: data/truncated.json\n   :format: inseq\n\n"  # 9: truncated
        ".. attention-viz:: data/other.json\n\n"  # 12: no known shape
        ".. attention-viz:: data/tools/lit_salience.json\n   :step: 2\n\n"  # 14: inseq option elsewhere
        "After the figures.\n"
    )
    html, warnings = sphinx_build(tmp_path, page, extra)
    assert len(figures(html)) == 1 and "After the figures." in html
    assert [warning.split("WARNING: ", 1)[1] for warning in warnings] == [
        "attention-viz: data/tools/captum_records.json: not a SHAP Explanation export: it looks like Captum "
        "VisualizationDataRecord [attnviz.data]",
        warnings[1].split("WARNING: ", 1)[1],
        "attention-viz: data/other.json: not a known data format: it has keys 'words', 'weights', the shape of "
        "none of json, inseq, captum, shap, ferret, transformers-interpret, lit (name the format: :format: in a "
        "directive, --format-in on the command line) [attnviz.data]",
        "attention-viz: step: only inseq files take this; the file is not an inseq file [attnviz.option]",
    ]
    assert [warning.split(": WARNING", 1)[0].rsplit(":", 1)[1] for warning in warnings] == ["6", "9", "12", "14"]
    assert warnings[1].split("WARNING: ", 1)[1].startswith("attention-viz: data/truncated.json")
    assert "inseq JSON" in warnings[1] and warnings[1].endswith("[attnviz.data]")


def test_the_api_reads_a_tools_object_by_duck_typing() -> None:
    class LLMAttributionResult:  # Captum's attribute names (captum/attr/_core/llm_attr.py)
        def __init__(self) -> None:
            self.input_tokens = ["The", "cat"]
            self.output_tokens = ["sat", "down"]
            self.seq_attr = np.array([0.5, 0.25])
            self.token_attr = np.array([[0.1, 0.2], [0.3, np.nan]])

    viz = AttentionViz.from_attribution(LLMAttributionResult(), legend=True)
    assert viz.to_text().splitlines()[:3] == [
        "seq_attr: The[0.5000] cat[0.2500]",
        "sat: The[0.1000] cat[0.2000]",
        "down: The[0.3000] cat[\u2014]",
    ]
    with pytest.raises(Exception, match="not the output of a known tool"):
        AttentionViz.from_attribution(object())


@pytest.mark.parametrize("name", INSEQ_FILES)
def test_reduce_l2_with_normalize_l1_is_inseqs_own_aggregation(name: str) -> None:
    """inseq aggregates gradients by the L2 norm over the hidden size, then divides each
    step's column by its sum of absolute values: ``:reduce: l2`` and ``:normalize: l1``
    (per row, a row being a step) say the same, and give inseq's numbers."""
    for sequence, expected in enumerate(INSEQ):
        viz = AttentionViz.from_files(DATA / "inseq" / name, sequence=sequence, reduce="l2", normalize="l1")
        reference = np.array(expected["aggregated_target_attributions"], dtype=np.float64).T  # steps x tokens
        shown = np.array([row.scores for row in viz.visualization.rows])
        np.testing.assert_allclose(shown, reference, rtol=0, atol=1e-6)
        assert np.array_equal(np.isnan(shown), np.isnan(reference))


def test_a_gzip_file_not_inseqs_and_a_repeated_key_are_located_errors(tmp_path: Path) -> None:
    import gzip

    from sphinxcontrib_attnviz.errors import DataError

    lit = (DATA / "tools" / "lit_salience.json").read_bytes()
    (tmp_path / "lit.json.gz").write_bytes(gzip.compress(lit))
    with pytest.raises(DataError, match=r"lit\.json\.gz: compressed with gzip, which only inseq files may be"):
        AttentionViz.from_files(tmp_path / "lit.json.gz")
    (tmp_path / "twice.json").write_text('{"tokens": ["a"], "salience": [1], "salience": [2]}')
    with pytest.raises(DataError, match=r"twice\.json: the key 'salience' is given twice in one object"):
        AttentionViz.from_files(tmp_path / "twice.json", format="lit")


def test_a_named_format_that_is_not_the_files_says_what_the_file_is() -> None:
    from sphinxcontrib_attnviz.errors import DataError

    with pytest.raises(DataError, match=r"shap_text\.npz: a \.npz file \(SHAP's arrays\), not inseq: give format shap"):
        AttentionViz.from_files(DATA / "tools" / "shap_text.npz", format="inseq")


def test_the_command_line_takes_option_values_in_any_case_as_the_directive_does() -> None:
    arguments = ["--data", str(DATA / "tools" / "lit_salience.json"), "--format", "text"]
    upper = subprocess.run(
        [*CLI, *arguments, "--normalize", "L1", "--format-in", "LIT"], capture_output=True, text=True
    )
    lower = subprocess.run([*CLI, *arguments, "--normalize", "l1"], capture_output=True, text=True, check=True)
    assert upper.returncode == 0, upper.stderr
    assert (
        upper.stdout
        == lower.stdout
        == AttentionViz.from_files(DATA / "tools" / "lit_salience.json", normalize="L1").to_text()
    )
