"""Stated normalisation (``:normalize:``, ``:normalize-over:``): each method gives the
documented numbers, the tooltip gives the score as given too, the legend and the
figure's own tooltip say what was done."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_data_bounds import sphinx_build, sphinx_project

from pages import figures
from sphinxcontrib_attnviz import AttentionViz
from sphinxcontrib_attnviz.errors import OptionError

TOKENS = ["a", "b", "c", "d"]
ROWS = {"x": [1.0, -3.0, None, 4.0], "y": [2.0, 2.0, 2.0, 2.0]}
PRESENT_X = np.array([1.0, -3.0, 4.0])


def normalised(method: str, over: str = "row") -> list[list[float]]:
    viz = AttentionViz(TOKENS, ROWS, normalize=method, normalize_over=over).visualization
    return [row.scores.tolist() for row in viz.rows]


@pytest.mark.parametrize(
    ("method", "divisor", "shift"),
    [
        ("max-abs", 4.0, 0.0),
        ("l1", 8.0, 0.0),
        ("l2", float(np.sqrt(26.0)), 0.0),
        ("zscore", float(np.std(PRESENT_X)), float(np.mean(PRESENT_X))),
    ],
)
def test_each_method_per_row(method: str, divisor: float, shift: float) -> None:
    x, y = normalised(method)
    np.testing.assert_allclose([x[0], x[1], x[3]], (PRESENT_X - shift) / divisor, rtol=1e-12)
    assert np.isnan(x[2])  # a missing cell stays missing, and counts for nothing
    expected_y = (
        [0.0] * 4 if method == "zscore" else [2.0 / {"max-abs": 2.0, "l1": 8.0, "l2": 4.0, "sum": 8.0}[method]] * 4
    )
    if method == "zscore":
        assert y == [2.0] * 4  # all equal: the divisor is 0, left as given (and the legend says so)
    else:
        assert y == pytest.approx(expected_y)


def test_over_the_figure_takes_every_row_together() -> None:
    x, y = normalised("l1", "figure")
    total = 1 + 3 + 4 + 2 * 4
    assert [x[0], x[1], x[3]] == pytest.approx([1 / total, -3 / total, 4 / total])
    assert y == pytest.approx([2 / total] * 4)


def test_the_tooltip_gives_the_score_as_given_and_the_legend_what_was_done() -> None:
    viz = AttentionViz(TOKENS, ROWS, normalize="zscore", legend=True)
    [figure] = figures(viz.to_html())
    titles = [span.attrs["title"] for span in figure.spans]
    assert titles[0] == f"{(1 - PRESENT_X.mean()) / PRESENT_X.std():#.4g} (given 1.000)"
    assert titles[2] == "no score"
    assert titles[4:] == ["2.000 (given 2.000)"] * 4
    said = "scores standardised (z-score: minus their mean, divided by their standard deviation), per row"
    assert re.search(r'<div class="attnviz [^>]*title="([^"]*)"', figure.html)[1].startswith(said)
    legend = viz.to_text().splitlines()[-1]
    assert f"{said} (1 row left as given: the divisor is 0)" in legend
    assert AttentionViz(TOKENS, ROWS).to_html().count("(given") == 0  # none by default: nothing changes


def test_bad_values_are_option_errors() -> None:
    with pytest.raises(OptionError, match="normalize must be one of none, max-abs, l1, l2, sum, zscore, not 'L3'"):
        AttentionViz(TOKENS, ROWS, normalize="L3")
    with pytest.raises(OptionError, match="normalize-over says what normalize works over: give normalize too"):
        AttentionViz(TOKENS, ROWS, normalize_over="figure")


def test_the_directive_and_the_command_line_normalise_alike(tmp_path: Path) -> None:
    page = "N\n=\n\n.. attention-viz::\n   :normalize: max-abs\n   :legend:\n\n   good 2\n   bad -4\n   fine 1\n"
    built = sphinx_build(sphinx_project(tmp_path, {"index.rst": page}))
    assert built.warnings == []
    [figure] = figures(built.page)
    assert [span.attrs["title"] for span in figure.spans] == [
        "0.5000 (given 2.000)",
        "-1.000 (given -4.000)",
        "0.2500 (given 1.000)",
    ]
    (tmp_path / "d.tsv").write_text("good\t2\nbad\t-4\nfine\t1\n")
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinxcontrib_attnviz",
            "--data",
            str(tmp_path / "d.tsv"),
            "--normalize",
            "max-abs",
            "--legend",
            "--fragment",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert cli.strip() == figure.html


def test_sum_refuses_scores_of_both_signs_and_l2_takes_any_magnitude() -> None:
    from sphinxcontrib_attnviz.errors import DataError

    with pytest.raises(DataError, match=r"normalize sum: row 'x' has scores of both signs"):
        AttentionViz(TOKENS, ROWS, normalize="sum")
    negative = AttentionViz(["a", "b"], [-1.0, -3.0], normalize="sum").visualization.rows[0].scores
    assert negative.tolist() == [-0.25, -0.75]  # the signs stay
    shares = AttentionViz(["a", "b", "c"], [1.0, None, 3.0], normalize="sum").visualization.rows[0].scores
    assert shares[[0, 2]].tolist() == [0.25, 0.75]
    for size in (1e200, 1e-300):
        scores = AttentionViz(["a", "b"], [3 * size, 4 * size], normalize="l2").visualization.rows[0].scores
        assert scores.tolist() == pytest.approx([0.6, 0.8])
