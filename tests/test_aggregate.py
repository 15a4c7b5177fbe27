"""Word scores (``:aggregate:``): a subword scheme's pieces become one token per word,
its score the documented aggregate of its pieces'; missing pieces are left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_data_bounds import sphinx_build, sphinx_project

from pages import figures
from sphinxcontrib_attnviz import AttentionViz
from sphinxcontrib_attnviz.errors import OptionError

TOKENS = ["[CLS]", "check", "##point", "##s", "are", "fine", "[SEP]"]
SCORES = [0.1, 0.2, None, 0.6, 0.4, -0.5, 0.0]


@pytest.mark.parametrize(
    ("method", "word"),
    [("sum", 0.8), ("mean", 0.4), ("max", 0.6), ("first", 0.2)],
)
def test_each_method_gives_the_words_score(method: str, word: float) -> None:
    viz = AttentionViz(TOKENS, SCORES, subwords="wordpiece", aggregate=method).visualization
    assert viz.tokens == ("[CLS]", "checkpoints", "are", "fine", "[SEP]")
    assert viz.rows[0].scores.tolist() == pytest.approx([0.1, word, 0.4, -0.5, 0.0])


def test_a_word_of_missing_pieces_is_missing_and_first_takes_the_first_piece() -> None:
    scores = [0.1, None, None, None, 0.4, -0.5, 0.0]
    for method in ("sum", "mean", "max", "first"):
        viz = AttentionViz(TOKENS, scores, subwords="wordpiece", aggregate=method).visualization
        assert viz.rows[0].missing.tolist() == [False, True, False, False, False]
    first = AttentionViz(TOKENS, [0.1, None, 0.3, 0.6, 0.4, -0.5, 0.0], subwords="wordpiece", aggregate="first")
    assert first.visualization.rows[0].missing.tolist()[1]


def test_one_box_per_word_and_the_legend_says_how(tmp_path: Path) -> None:
    page = "W\n=\n\n.. attention-viz:: data.json\n   :subwords: wordpiece\n   :aggregate: sum\n   :legend:\n"
    data = json.dumps({"tokens": TOKENS, "scores": SCORES})  # None: a null, a missing cell
    built = sphinx_build(sphinx_project(tmp_path, {"index.rst": page, "data.json": data}))
    assert built.warnings == []
    [figure] = figures(built.page)
    assert figure.tokens == ["[CLS]", "checkpoints", "are", "fine", "[SEP]"]
    assert figure.words == []  # no word of several boxes: each word is one token
    assert [span.attrs["title"] for span in figure.spans] == ["0.1000", "0.8000", "0.4000", "-0.5000", "0.000"]
    assert "a word&#x27;s score is the sum of its pieces&#x27; scores" in figure.html


def test_aggregate_needs_a_subword_scheme() -> None:
    with pytest.raises(OptionError, match=r"aggregate joins a word's pieces: give subwords"):
        AttentionViz(TOKENS, SCORES, aggregate="sum")
    with pytest.raises(OptionError, match="aggregate must be one of none, sum, mean, max, first"):
        AttentionViz(TOKENS, SCORES, subwords="wordpiece", aggregate="median")
