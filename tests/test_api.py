"""The Python API: lists, NumPy arrays and tensors in; the directive's fragment out."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from pages import figures
from sphinxcontrib_attnviz import AttentionViz, render_html
from sphinxcontrib_attnviz.arrays import as_float_array
from sphinxcontrib_attnviz.errors import DataError
from sphinxcontrib_attnviz.pages import stylesheet

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
    fragment = render_html(TOKENS, SCORES, center=0, legend=True, scale_ignore="[CLS], [SEP]")
    assert shown._repr_html_() == f"<style>{stylesheet()}</style>{fragment}"  # the layout comes along
    assert shown.to_html() == fragment
    assert str(shown).startswith("[CLS][0.5000 clipped] check[0.1000]")
    assert shown.to_latex().count("\\colorbox") > len(TOKENS)


def test_bad_input_raises_a_clear_error() -> None:
    with pytest.raises(DataError, match="6 tokens but 2 scores"):
        render_html(TOKENS, [0.1, 0.2])
    with pytest.raises(DataError, match="is inf, not a finite number"):
        render_html(["a", "b"], np.array([0.1, np.inf]))
    with pytest.raises(DataError, match="every score is missing"):
        render_html(["a", "b"], np.array([np.nan, np.nan]))


def test_the_api_does_not_import_torch_or_sphinx() -> None:
    code = (
        "import sys, sphinxcontrib_attnviz as a; a.render_html(['a'], [1.0]); "
        "print(sorted(m for m in ('torch', 'sphinx', 'mkdocs') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def colours(html: str) -> list[str]:
    return [span.style["background-color"] for figure in figures(html) for span in figure.spans]


class OnDevice:
    """A tensor on a GPU: numpy() fails until cpu() has brought it over."""

    def __init__(self, values: list[float]) -> None:
        self.values = values

    def detach(self) -> OnDevice:
        return self

    def cpu(self) -> FakeTensor:
        return FakeTensor(self.values)

    def numpy(self) -> np.ndarray:
        raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() first.")


class DLPackOnly:
    """What JAX and CuPy arrays offer NumPy: DLPack, and no ``__array__``."""

    def __init__(self, array: object, namespace: object = None) -> None:
        self.array = array
        if namespace is not None:
            self.__array_namespace__ = lambda: namespace

    def __dlpack__(self, **kwargs: object) -> object:
        return self.array.__dlpack__(**kwargs)

    def __dlpack_device__(self) -> tuple[int, int]:
        return self.array.__dlpack_device__()


class ArrayOnly:
    """An object NumPy reads only through ``__array__``."""

    def __init__(self, values: list[float]) -> None:
        self.values = values

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        return np.array(self.values, dtype=np.float32)


def test_bfloat16_tensors_draw_as_their_float32_copy() -> None:
    torch = pytest.importorskip("torch")
    scores = torch.tensor(SCORES, dtype=torch.bfloat16)
    copy = scores.float()
    assert as_float_array(scores).tolist() == copy.tolist() != SCORES  # bfloat16 rounds 0.1 to 0.10009765625
    html = AttentionViz(TOKENS, scores, cmap="viridis").to_html()
    assert html == AttentionViz(TOKENS, copy, cmap="viridis").to_html()
    assert render_html(TOKENS, scores, center=0, legend=True) == render_html(TOKENS, copy, center=0, legend=True)
    assert colours(html) == colours(render_html(TOKENS, copy.tolist(), cmap="viridis"))
    assert len(set(colours(html))) == len(TOKENS)


def test_tensors_of_every_dtype_device_and_gradient() -> None:
    torch = pytest.importorskip("torch")
    for dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
        scores = torch.tensor(SCORES, dtype=dtype, requires_grad=True)
        array = as_float_array(scores * 2)  # a result of the graph, as attention weights are
        assert array.dtype == np.float64
        assert array.tolist() == (scores.detach().double() * 2).tolist()
    assert as_float_array(torch.tensor([3, -1, 2**40], dtype=torch.int64)).tolist() == [3.0, -1.0, 2.0**40]
    assert as_float_array(torch.tensor([True, False])).tolist() == [1.0, 0.0]
    assert as_float_array(OnDevice(SCORES)).tolist() == np.float32(SCORES).tolist()


def test_two_dimensional_bfloat16_tensors_are_rows() -> None:
    torch = pytest.importorskip("torch")
    rows = torch.tensor([SCORES, SCORES[::-1]], dtype=torch.bfloat16)
    html = render_html(TOKENS, rows)
    assert html == render_html(TOKENS, rows.float())
    assert [figure.rows for figure in figures(html)] == [[TOKENS, TOKENS]]
    viz = AttentionViz(TOKENS, {"layer 1": rows[0], "layer 2": rows[1]}).visualization
    assert [row.label for row in viz.rows] == ["layer 1", "layer 2"]
    assert viz.rows[1].backgrounds == AttentionViz(TOKENS, rows.float()).visualization.rows[1].backgrounds


def test_dlpack_and_array_protocols() -> None:
    values = np.array(SCORES, dtype=np.float32)
    with pytest.raises(TypeError):
        float(np.asarray(DLPackOnly(values)).reshape(-1)[0])  # NumPy alone cannot read it
    assert as_float_array(DLPackOnly(values)).tolist() == values.tolist()
    assert render_html(TOKENS, DLPackOnly(values)) == render_html(TOKENS, values)
    assert as_float_array(ArrayOnly(SCORES)).tolist() == values.tolist()
    assert render_html(TOKENS, ArrayOnly(SCORES)) == render_html(TOKENS, values)


def test_dlpack_bfloat16_is_cast_through_the_array_namespace() -> None:
    torch = pytest.importorskip("torch")
    namespace = type("Namespace", (), {})()
    namespace.float32 = torch.float32
    namespace.astype = lambda array, dtype: DLPackOnly(array.array.to(dtype), namespace)
    scores = torch.tensor(SCORES, dtype=torch.bfloat16)
    with pytest.raises(DataError, match="could not be read as an array"):
        as_float_array(DLPackOnly(scores))  # NumPy takes no bfloat16 through DLPack
    assert as_float_array(DLPackOnly(scores, namespace)).tolist() == scores.float().tolist()


def test_ml_dtypes_bfloat16_arrays() -> None:
    ml_dtypes = pytest.importorskip("ml_dtypes")
    scores = np.array(SCORES, dtype=ml_dtypes.bfloat16)
    assert as_float_array(scores).tolist() == scores.astype(np.float32).tolist() != SCORES


def test_scores_that_are_not_real_numbers_raise_a_clear_error() -> None:
    bad = {
        "0.1 0.2": r"not text \(given: str of dtype <U7\)",
        ("0.1", "0.2"): r"not text \(given: tuple of dtype <U3\)",
        (object(), 0.2): r"not objects that are not numbers \(given: tuple of dtype object\)",
        (0.1, 0.2j): r"not complex numbers \(given: tuple of dtype complex128\)",
    }
    for scores, message in bad.items():
        with pytest.raises(DataError, match=message):
            render_html(["a", "b"], scores)
    with pytest.raises(DataError, match=r"list could not be read as an array: .*inhomogeneous"):
        as_float_array([[0.1, 0.2], [0.3]])
    with pytest.raises(DataError, match=r"one-dimensional, not of shape \(1, 2, 1\)"):
        render_html(["a", "b"], {"row": [[[0.1], [0.2]]]})
    torch = pytest.importorskip("torch")
    with pytest.raises(DataError, match=r"not complex numbers \(given: Tensor of dtype complex64\)"):
        render_html(["a", "b"], torch.tensor([0.1, 0.2j]))


def test_dlpack_that_fails_falls_back_to_array() -> None:
    """An array whose DLPack export NumPy cannot take (a GPU array, an old NumPy), and
    whose namespace cast does not help, is read through ``__array__``."""

    class GpuLike(ArrayOnly):
        def __dlpack__(self, **kwargs: object) -> object:
            raise BufferError("DLPack export to the CPU is not supported")

        def __dlpack_device__(self) -> tuple[int, int]:
            return (2, 0)

        def __array_namespace__(self) -> object:
            namespace = type("Namespace", (), {"float32": "float32"})()
            namespace.astype = lambda array, dtype: array  # gives the same array back
            return namespace

    assert as_float_array(GpuLike([0.5, 2.0])).tolist() == [0.5, 2.0]
