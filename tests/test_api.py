"""The Python API: lists, NumPy arrays and tensors in; the directive's fragment out."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from pages import figures
from sphinxcontrib_attnviz import AttentionViz, render_html
from sphinxcontrib_attnviz.errors import DataError

TOKENS = ["[CLS]", "check", "##point", "saves", "memory", "[SEP]"]
SCORES = [0.5, 0.1, 0.2, 0.05, 0.15, 0.3]


class FakeTensor:
    """What the API relies on in a torch tensor: detach(), cpu(), numpy()."""

    def __init__(self, values: list[float]) -> None:
        self.values = np.array(values, dtype=np.float32)

    def detach(self) -> FakeTensor:
        return self

    def cpu(self) -> FakeTensor:
        return self

    def numpy(self) -> np.ndarray:
        return self.values


def test_lists_arrays_and_tensors_give_the_same_fragment() -> None:
    expected = render_html(TOKENS, SCORES, subwords="wordpiece")
    assert render_html(TOKENS, np.array(SCORES), subwords="wordpiece") == expected
    assert render_html(tuple(TOKENS), np.array(SCORES, dtype=np.float64), subwords="wordpiece") == expected
    as_float32 = render_html(TOKENS, FakeTensor(SCORES))
    assert figures(as_float32)[0].tokens == TOKENS


def test_real_torch_tensors() -> None:
    torch = pytest.importorskip("torch")
    scores = torch.tensor(SCORES, dtype=torch.float64, requires_grad=True)
    assert render_html(TOKENS, scores) == render_html(TOKENS, SCORES)
    rows = torch.tensor([SCORES, SCORES[::-1]], dtype=torch.float64)
    assert len(figures(render_html(TOKENS, rows))[0].rows) == 2


def test_two_dimensional_arrays_and_mappings_are_rows() -> None:
    matrix = np.array([SCORES, SCORES[::-1]])
    viz = AttentionViz(TOKENS, matrix).visualization
    assert [row.label for row in viz.rows] == ["row 1", "row 2"]
    named = AttentionViz(TOKENS, {"layer_1": matrix[0], "layer_2": list(matrix[1])}).visualization
    assert [row.label for row in named.rows] == ["layer_1", "layer_2"]
    assert named.rows[0].backgrounds == viz.rows[0].backgrounds


def test_notebooks_show_the_fragment() -> None:
    shown = AttentionViz(TOKENS, SCORES, center=0, legend=True, scale_ignore="[CLS], [SEP]")
    assert shown._repr_html_() == render_html(TOKENS, SCORES, center=0, legend=True, scale_ignore="[CLS], [SEP]")
    assert str(shown).startswith("[CLS][0.5000 clipped] check[0.1000]")
    assert shown.to_latex().count("\\colorbox") > len(TOKENS)


def test_bad_input_raises_a_clear_error() -> None:
    with pytest.raises(DataError, match="6 tokens but 2 scores"):
        render_html(TOKENS, [0.1, 0.2])
    with pytest.raises(DataError, match="is nan, not a finite number"):
        render_html(["a", "b"], np.array([0.1, np.nan]))


def test_the_api_does_not_import_torch_or_sphinx() -> None:
    code = (
        "import sys, sphinxcontrib_attnviz as a; a.render_html(['a'], [1.0]); "
        "print(sorted(m for m in ('torch', 'sphinx', 'mkdocs') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
