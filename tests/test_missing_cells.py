"""Missing cells (a JSON ``null``, None or NaN in the API): no colour, marked, out of the
scale, said in the tooltip and the accessible text, ``—`` in text; a plain scores file
still refuses NaN."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from test_latex_text import compile_tex

from pages import figures
from sphinxcontrib_attnviz import AttentionViz
from sphinxcontrib_attnviz.errors import DataError
from sphinxcontrib_attnviz.formats import parse_json, read_score_file
from sphinxcontrib_attnviz.render.html import MISSING_TITLE

TOKENS = ["The", "cat", "sat", "down"]
#: A generation matrix as inseq gives it: later steps have not generated the last tokens.
STEPS = {"step 1": [0.2, 0.7, None, None], "step 2": [0.1, 0.3, 0.6, None]}


def test_missing_cells_leave_the_scale_and_the_other_colours_as_they_are() -> None:
    with_missing = AttentionViz(TOKENS, STEPS, legend=True).visualization
    present = [(row, index) for row, values in enumerate(STEPS.values()) for index, v in enumerate(values) if v]
    only_present = AttentionViz(
        [TOKENS[index] for _, index in present], [list(STEPS.values())[row][index] for row, index in present]
    ).visualization
    assert (with_missing.scale.vmin, with_missing.scale.vmax) == (only_present.scale.vmin, only_present.scale.vmax)
    shown = [with_missing.rows[row].backgrounds[index] for row, index in present]
    assert shown == list(only_present.rows[0].backgrounds)
    assert with_missing.legend is not None and with_missing.legend.score_range == (0.1, 0.7)
    assert [row.missing.tolist() for row in with_missing.rows] == [[False, False, True, True], [False] * 3 + [True]]


def test_html_marks_a_missing_cell_without_colour_and_says_so() -> None:
    html = AttentionViz(TOKENS, STEPS).to_html()
    [figure] = figures(html)
    missing = [span for span in figure.spans if "attnviz-missing" in span.attrs["class"].split()]
    assert [span.text for span in missing] == ["sat", "down", "down"]
    for span in missing:
        assert span.attrs["class"] == "attnviz-token attnviz-missing"  # no palette entry: no colour
        assert span.attrs["title"] == MISSING_TITLE  # the tooltip, and what screen readers read
    assert [span.attrs["title"] for span in figure.spans if span not in missing] == [
        "0.2000",
        "0.7000",
        "0.1000",
        "0.3000",
        "0.6000",
    ]
    assert ".attnviz-missing{outline:1px dashed currentColor" in html  # marked, even without the stylesheet
    # the figure's rules hold only the entries tokens use
    used = {name for span in figure.spans for name in span.attrs["class"].split() if re.fullmatch(r"c\d+", name)}
    assert set(re.findall(r"\.(c\d+)\{", html)) == used
    epub = AttentionViz(TOKENS, STEPS).visualization
    from sphinxcontrib_attnviz.render.html import render_html

    inline = render_html(epub, inline_colours=True)
    assert '<span class="attnviz-token attnviz-missing" style="outline: 1px dashed' in inline


def test_text_writes_a_dash_for_a_missing_cell() -> None:
    assert AttentionViz(TOKENS, STEPS).to_text() == (
        "step 1: The[0.2000] cat[0.7000] sat[\u2014] down[\u2014]\n"
        "step 2: The[0.1000] cat[0.3000] sat[0.6000] down[\u2014]\n"
    )


def test_latex_frames_a_missing_cell_and_compiles(tmp_path: Path) -> None:
    latex = AttentionViz(TOKENS, STEPS).to_latex()
    assert latex.count("\\fbox{\\strut sat}") == 1 and latex.count("\\fbox{\\strut down}") == 2
    assert latex.count("\\colorbox[HTML]") == 5
    if shutil.which("pdflatex") is None or shutil.which("pdftotext") is None:
        pytest.skip("pdflatex or pdftotext missing")  # test_latex_text fails under CI for the same tools
    text, _ = compile_tex(
        "pdflatex",
        f"\\documentclass{{article}}\n\\usepackage{{xcolor}}\n\\pagestyle{{empty}}\n\\begin{{document}}\n{latex}\\end{{document}}\n",
        tmp_path,
    )
    assert re.sub(r"\s+", " ", text).strip() == "step 1 The cat sat down step 2 The cat sat down"


def test_json_null_is_a_missing_cell_and_a_scores_file_nan_an_error(tmp_path: Path) -> None:
    data = parse_json('{"tokens": ["a", "b"], "scores": {"x": [null, 0.5], "y": [0.25, null]}}', "d.json")
    assert [np.isnan(row.scores).tolist() for row in data.rows] == [[True, False], [False, True]]
    scores = tmp_path / "s.txt"
    scores.write_text("0.5\nnan\n")
    with pytest.raises(DataError, match=r"^s\.txt:2: .*not a finite number"):
        read_score_file(scores, "s.txt")
    with pytest.raises(DataError, match="every score is missing: there is nothing to colour"):
        AttentionViz(["a"], [None])
    with pytest.raises(DataError, match=r"score 2 \('b'\) is inf, not a finite number"):
        AttentionViz(["a", "b"], [0.5, float("inf")])
