"""Matrix data: our JSON's two matrix forms, attention arrays in the API, rows headed by
their tokens' display text, through the real readers, the command line and Sphinx."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_matrix_view import build, make_project, parse_table

from sphinxcontrib_attnviz import AttentionViz
from sphinxcontrib_attnviz.cli import main as cli_main
from sphinxcontrib_attnviz.errors import DataError, OptionError
from sphinxcontrib_attnviz.options import parse_options
from sphinxcontrib_attnviz.readers.files import parse_read_options, read_data
from sphinxcontrib_attnviz.render import format_scores
from sphinxcontrib_attnviz.render.matrix import column_headers, row_headers
from sphinxcontrib_attnviz.visualization import visualize

SOURCE = ["▁Le", "▁chat", "▁dort", "."]
TARGET = ["▁The", "▁cat", "▁sleeps", "▁cat"]
NAN = float("nan")


def write(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def read(path: Path, **options: str):
    return visualize(read_data(str(path), str(path), options=parse_read_options({})), parse_options(options))


def cross_attention(width: int) -> list[list[float | None]]:
    rng = np.random.default_rng(7)
    matrix = rng.random((len(TARGET), width)).round(4).tolist()
    for row in range(len(TARGET)):  # a decoder sees only the target tokens before it
        for column in range(len(SOURCE) + row, width):
            matrix[row][column] = None
    return matrix


def test_source_and_target_rows_are_target_tokens_columns_source_then_target(tmp_path: Path) -> None:
    matrix = cross_attention(len(SOURCE) + len(TARGET))
    path = write(tmp_path / "m.json", {"source": SOURCE, "target": TARGET, "matrix": matrix})
    viz = read(path, view="matrix", subwords="sentencepiece")
    assert viz.tokens == tuple(SOURCE + TARGET)
    assert column_headers(viz) == ["Le", "chat", "dort", ".", "The", "cat", "sleeps", "cat"]
    # rows headed by the target tokens' display text (a repeated one as it is), labelled uniquely
    assert row_headers(viz) == ["The", "cat", "sleeps", "cat"]
    assert [row.label for row in viz.rows] == ["▁The", "▁cat", "▁sleeps", "▁cat (2)"]
    for row, expected in zip(viz.rows, matrix, strict=True):
        assert np.array_equal(row.scores, np.array([NAN if v is None else v for v in expected]), equal_nan=True)
    assert viz.rows[0].missing.tolist() == [False] * 4 + [True] * 4


def test_source_only_columns_and_the_text_grid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    matrix = [[0.5, 0.25, 0.125, 0.0625]] * len(TARGET)
    path = write(tmp_path / "m.json", {"source": SOURCE, "target": TARGET, "matrix": matrix})
    assert cli_main(["--data", str(path), "--view", "matrix", "--subwords", "sentencepiece", "--format", "text"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Le", "chat", "dort", "."]
    assert [line.split()[0] for line in lines[1:5]] == ["The", "cat", "sleeps", "cat"]
    assert lines[1].split()[1:] == format_scores(np.array(matrix[0]))


def test_tokens_and_rows_or_a_square_self_attention(tmp_path: Path) -> None:
    named = write(
        tmp_path / "named.json", {"tokens": ["a", "b"], "rows": ["layer 1", "layer 1"], "matrix": [[1, 2], [3, None]]}
    )
    viz = read(named, view="matrix")
    assert row_headers(viz) == ["layer 1", "layer 1 (2)"]  # labels, not tokens: numbered
    assert viz.row_tokens is None
    square = write(tmp_path / "self.json", {"tokens": ["Ġthe", "Ġcat"], "matrix": [[1, None], [0.5, 0.5]]})
    viz = read(square, view="matrix", subwords="bpe")
    assert row_headers(viz) == column_headers(viz) == ["the", "cat"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"tokens": ["a", "b"], "matrix": [[1, 2], [3]]}, "row 2 ('b') has 1 score for 2 columns"),
        ({"tokens": ["a", "b"], "matrix": [[1, 2]]}, '"matrix" has 1 rows for 2 tokens (with no "rows", the rows'),
        ({"tokens": ["a"], "rows": ["x", "y"], "matrix": [[1]]}, '"matrix" has 1 rows for 2 row names'),
        ({"tokens": ["a"], "row": ["x"], "matrix": [[1]]}, 'unknown key "row" beside "matrix": did you mean "rows"?'),
        ({"source": ["a"], "targets": ["x"], "matrix": [[1]]}, 'did you mean "target"?'),
        ({"tokens": ["a", "b"], "matrix": [[1, 2], [3, "4"]]}, "matrix row 2 ('b'): score 2 ('b') is \"4\""),
        ({"tokens": ["a"], "matrix": [[True]]}, "is true, not a number"),
        ({"tokens": ["a"], "matrix": [1]}, '"matrix" must be a list of rows'),
        ({"tokens": "ab", "matrix": [[1]]}, '"tokens" must be a list of strings'),
        ({"source": ["a"], "target": ["x"], "matrix": [[1, 2, 3]]}, "expected one per source token (1)"),
        ({"source": ["a"], "target": [], "matrix": []}, '"target" is empty'),
        ({"source": ["a"], "tokens": ["x"], "matrix": [[1]]}, "not both"),
        ({"tokens": ["a"], "matrix": [[None]]}, "every score is missing"),
        ({"tokens": ["a"], "matrix": [[1]], "scores": [1]}, "'scores' cannot go with it"),
    ],
)
def test_bad_matrices_are_one_located_error(tmp_path: Path, document: dict, message: str) -> None:
    path = write(tmp_path / "bad.json", document)
    with pytest.raises(DataError) as caught:
        read(path, view="matrix")
    assert message in str(caught.value)
    assert str(path) in str(caught.value) or message == "every score is missing"


def test_sphinx_draws_a_matrix_json_with_token_headed_rows(tmp_path: Path) -> None:
    matrix = cross_attention(len(SOURCE) + len(TARGET))
    page = ".. attention-viz:: cross.json\n   :view: matrix\n   :subwords: sentencepiece\n\n"
    page += ".. attention-viz:: bad.json\n   :view: matrix\n\nAfter.\n"
    source = make_project(
        tmp_path,
        {
            "cross.json": json.dumps({"source": SOURCE, "target": TARGET, "matrix": matrix}),
            "bad.json": json.dumps({"tokens": ["a"], "matrix": [[1, 2]]}),
        },
        page,
    )
    html = (build(source, "html") / "index.html").read_text(encoding="utf-8")
    table = parse_table(html)
    assert table.columns == ["Le", "chat", "dort", ".", "The", "cat", "sleeps", "cat"]
    assert [label for label, _ in table.rows] == ["The", "cat", "sleeps", "cat"]
    blank = [[cell[0]["class"].split()[-1] == "attnviz-missing" for cell in cells] for _, cells in table.rows]
    assert blank == [[value is None for value in row] for row in matrix]
    assert "After." in html


def test_attention_heads_taken_or_reduced() -> None:
    rng = np.random.default_rng(1)
    tokens = ["[CLS]", "the", "cat", "[SEP]"]
    heads = rng.random((1, 3, 4, 4))
    heads[0, 1, 0, 2] = NAN
    one = AttentionViz.from_attention(tokens, heads, head=2).visualization
    assert one.view == "matrix" and row_headers(one) == tokens
    assert np.array_equal(np.array([row.scores for row in one.rows]), heads[0, 2])
    mean = AttentionViz.from_attention(tokens, heads[0], reduce="mean").visualization
    expected = np.nanmean(heads[0], axis=0)
    assert np.allclose(np.array([row.scores for row in mean.rows]), expected)
    maximum = AttentionViz.from_attention(tokens, heads[0], reduce="max", view="tokens").visualization
    assert maximum.view == "tokens" and np.allclose(maximum.rows[0].scores, np.nanmax(heads[0], axis=0)[0])
    masked = np.triu(np.ones((4, 4)), 1)
    causal = np.where(masked[None] == 1, NAN, heads[0])
    summed = AttentionViz.from_attention(tokens, causal, reduce="sum").visualization
    assert [row.missing.tolist() for row in summed.rows] == (masked == 1).tolist()
    cross = AttentionViz.from_attention(tokens, heads[0, 0, :2], queries=["Le", "chat"]).visualization
    assert row_headers(cross) == ["Le", "chat"]


def test_layers_of_attention_ask_for_one_layer() -> None:
    layers = tuple(np.zeros((1, 2, 3, 3)) for _ in range(4))
    with pytest.raises(DataError, match=r"one per layer\): pick a layer, e.g. outputs.attentions\[-1\]"):
        AttentionViz.from_attention(["a", "b", "c"], layers, head=0)
    assert AttentionViz.from_attention(["a", "b", "c"], layers[-1], head=1).visualization.view == "matrix"


@pytest.mark.parametrize(
    ("shape", "options", "error", "message"),
    [
        ((3, 4, 4), {}, OptionError, "3 heads: give head (0 to 2) or reduce"),
        ((3, 4, 4), {"head": 3}, OptionError, "from 0 to 2, not 3"),
        ((3, 4, 4), {"head": 1, "reduce": "mean"}, OptionError, "give head or reduce, not both"),
        ((3, 4, 4), {"reduce": "l2"}, OptionError, "mean, max, sum, not 'l2'"),
        ((4, 4), {"head": 0}, OptionError, "one [queries, keys] matrix"),
        ((2, 3, 4, 4), {"head": 0}, DataError, "expected [queries, keys]"),
        ((4, 5), {}, DataError, "(4, 5) (queries, keys) for 4 queries and 4 keys (without queries=, the queries"),
    ],
)
def test_attention_errors(shape: tuple[int, ...], options: dict, error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        AttentionViz.from_attention(["a", "b", "c", "d"], np.zeros(shape), **options)
    assert message in str(caught.value)


MINILM = Path(__file__).parent / "data" / "tools" / "minilm_attention"


def minilm_attention() -> tuple[list[str], np.ndarray]:
    """MiniLM-L6's last-layer attention, ``[heads, queries, keys]``, and its tokens (in the file's metadata)."""
    from safetensors import safe_open

    with safe_open(str(MINILM.with_suffix(".safetensors")), framework="numpy") as file:
        tokens = json.loads(file.metadata()["tokens"])
        return tokens, file.get_tensor("attention")


def test_real_attention_tensor_and_its_matrix_json_draw_the_same_matrix(tmp_path: Path) -> None:
    tokens, attention = minilm_attention()
    assert attention.shape == (12, len(tokens), len(tokens))
    from_tensor = AttentionViz.from_attention(tokens, attention, reduce="mean", subwords="wordpiece").visualization
    from_json = read(MINILM.with_suffix(".json"), view="matrix", subwords="wordpiece")
    assert np.array_equal([row.scores for row in from_tensor.rows], [row.scores for row in from_json.rows])
    assert row_headers(from_tensor) == row_headers(from_json) == column_headers(from_json)
    assert "[CLS]" in column_headers(from_json)
    one_head = AttentionViz.from_attention(tokens, attention, head=11).visualization
    assert np.allclose([row.scores for row in one_head.rows], attention[11])
    # the same matrix as an image: the SVG's headers are the tokens' display text
    out = tmp_path / "minilm.svg"
    arguments = ["--data", str(MINILM.with_suffix(".json")), "--view", "matrix", "--subwords", "wordpiece"]
    assert cli_main([*arguments, "--format", "svg", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    headers = [header.replace("&", "&amp;") for header in column_headers(from_json)]
    found = [line for line in text.splitlines() if "rotate(-90" in line]
    assert [line.rsplit(">", 2)[-2].removesuffix("</text") for line in found] == headers


def test_rows_are_decoded_in_the_columns_scheme_and_captum_rows_by_their_tokens() -> None:
    inseq = read(Path(__file__).parent / "data" / "inseq" / "gpt2_attention.json", view="matrix", subwords="auto")
    # the generated tokens are the last columns: rows and those columns show alike
    generated = len(inseq.rows)
    assert row_headers(inseq) == column_headers(inseq)[-generated:]
    words = read(
        Path(__file__).parent / "data" / "inseq" / "gpt2_attention.json",
        view="matrix",
        aggregate="sum",
        subwords="auto",
    )
    assert row_headers(words) == row_headers(inseq)  # rows keep their pieces when columns become words
    from types import SimpleNamespace

    result = SimpleNamespace(
        input_tokens=["ĠThe", "Ġcapital"],
        output_tokens=["ĠParis", "Ċ", "ĠParis"],
        seq_attr=np.array([0.5, 0.25]),
        token_attr=np.array([[0.1, 0.2], [0.3, 0.4], [0.5, None]], dtype=float),
    )
    viz = AttentionViz.from_attribution(result, view="matrix", subwords="bpe").visualization
    assert row_headers(viz) == ["seq_attr", "Paris", "\u21b5", "Paris"]
    assert [row.label for row in viz.rows] == ["seq_attr", "ĠParis", "Ċ", "ĠParis (2)"]
    picked = AttentionViz.from_attribution(result, view="matrix", subwords="bpe", rows="ĠParis (2), seq_attr")
    assert row_headers(picked.visualization) == ["Paris", "seq_attr"]
