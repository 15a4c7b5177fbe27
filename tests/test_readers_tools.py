"""Readers of Captum, SHAP, ferret, transformers-interpret and LIT outputs.

The files under tests/data/tools/ are real outputs of those tools over MiniLM-L6, made by
scripts/make_tool_examples.py, which also wrote each one's numbers plainly
(``NAME.expected.tsv``). The tools themselves are not installed here: their Python objects
are stood in for by small classes with the attribute names their source has
(captum/attr/_utils/visualization.py, captum/attr/_core/llm_attr.py, shap's Explanation,
ferret/explainers/explanation.py, lit_nlp/api/dtypes.py).
"""

from __future__ import annotations

import csv
import json
import math
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sphinxcontrib_attnviz.data import TokenScores
from sphinxcontrib_attnviz.errors import DataError
from sphinxcontrib_attnviz.readers import detect_tool, from_tool_object, parse_tool_json, read_tool_file
from sphinxcontrib_attnviz.readers.captum import from_llm_result, from_records
from sphinxcontrib_attnviz.readers.json_shapes import from_ferret, from_lit, from_transformers_interpret
from sphinxcontrib_attnviz.readers.shap import from_explanation, parse_shap_npz, read_shap_npz

TOOLS = Path(__file__).parent / "data" / "tools"


def expected(name: str) -> tuple[list[str], dict[str, list[float]]]:
    """The tokens and rows the script wrote plainly: a JSON string, then a float per row."""
    with (TOOLS / f"{name}.expected.tsv").open(encoding="utf-8", newline="") as file:
        header, *lines = list(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    tokens = [json.loads(line[0]) for line in lines]
    return tokens, {label: [float(line[i]) for line in lines] for i, label in enumerate(header[1:], start=1)}


# ---------------------------------------------------------------------------------------
# The committed real files
# ---------------------------------------------------------------------------------------
REAL = [
    ("captum_records.json", "captum_records", "Captum VisualizationDataRecord"),
    ("captum_llm.json", "captum_llm", "Captum LLMAttributionResult"),
    ("shap_text.npz", "shap_text", None),
    ("shap_text.json", "shap_text", "SHAP Explanation"),
    ("ferret_explanations.json", "ferret_explanations", "ferret explanations"),
    ("transformers_interpret.json", "transformers_interpret", "transformers-interpret word_attributions"),
    ("lit_salience.json", "lit_salience", "LIT TokenSalience"),
]


@pytest.mark.parametrize(("file", "plain", "tool"), REAL, ids=[file for file, _, _ in REAL])
def test_real_file_reads_to_the_tools_numbers(file: str, plain: str, tool: str | None) -> None:
    tokens, rows = read_tool_file(TOOLS / file)
    want_tokens, want_rows = expected(plain)
    assert tokens == want_tokens
    if plain == "transformers_interpret":  # the tool names no row
        want_rows = {None: want_rows["scores"]}
    assert list(rows) == list(want_rows)
    for label, row in rows.items():
        assert row.dtype == np.float64
        assert row.tolist() == want_rows[label]  # exactly: repr round-trips
    if tool is not None:
        assert detect_tool(json.loads((TOOLS / file).read_text(encoding="utf-8"))) == tool
    # and the record the core draws takes them as they are
    record = TokenScores.checked(tokens, rows)
    assert [row.label for row in record.rows] == list(want_rows)


def test_real_row_names_are_the_tools() -> None:
    assert list(read_tool_file(TOOLS / "ferret_explanations.json")[1]) == [
        "Partition SHAP",
        "LIME",
        "Gradient",
        "Gradient (x Input)",
        "Integrated Gradient",
        "Integrated Gradient (x Input)",
    ]
    assert list(read_tool_file(TOOLS / "captum_records.json")[1]) == ["praise", "complaint"]
    assert list(read_tool_file(TOOLS / "shap_text.npz")[1]) == ["praise", "complaint"]
    assert list(read_tool_file(TOOLS / "captum_llm.json")[1])[:3] == ["seq_attr", "a", "wonderful"]
    assert list(read_tool_file(TOOLS / "lit_salience.json")[1]) == ["text"]


def test_real_shap_tokens_keep_their_whitespace() -> None:
    for file in ("shap_text.npz", "shap_text.json"):
        tokens, _ = read_tool_file(TOOLS / file)
        assert tokens == ["", "the ", "ending ", "surprised ", "me ", "and ", "i ", "loved ", "it", ""]


def test_real_files_are_small() -> None:
    assert all(path.stat().st_size < 100_000 for path in TOOLS.iterdir())


# ---------------------------------------------------------------------------------------
# Stand-ins with the real classes' attribute names
# ---------------------------------------------------------------------------------------
class FakeTensor:
    """What arrays.as_float_array reads from a torch tensor: detach().cpu().numpy()."""

    def __init__(self, values: Any) -> None:
        self.array = np.asarray(values, dtype=np.float32)
        self.shape = self.array.shape

    def detach(self) -> FakeTensor:
        return self

    def cpu(self) -> FakeTensor:
        return self

    def numpy(self) -> np.ndarray:
        return self.array

    def item(self) -> float:
        return self.array.item()


class VisualizationDataRecord:
    """captum/attr/_utils/visualization.py: the same slots and constructor."""

    __slots__ = [  # noqa: RUF023 (captum's order)
        "word_attributions",
        "pred_prob",
        "pred_class",
        "true_class",
        "attr_class",
        "attr_score",
        "raw_input_ids",
        "convergence_score",
    ]

    def __init__(
        self,
        word_attributions,
        pred_prob,
        pred_class,
        true_class,
        attr_class,
        attr_score,
        raw_input_ids,
        convergence_score,
    ) -> None:
        self.word_attributions = word_attributions
        self.pred_prob = pred_prob
        self.pred_class = pred_class
        self.true_class = true_class
        self.attr_class = attr_class
        self.attr_score = attr_score
        self.raw_input_ids = raw_input_ids
        self.convergence_score = convergence_score


class LLMAttributionResult:
    """captum/attr/_core/llm_attr.py: seq_attr and token_attr are properties there."""

    def __init__(self, *, input_tokens, output_tokens, seq_attr, token_attr=None, output_probs=None) -> None:
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self._seq_attr = seq_attr
        self._token_attr = token_attr
        self.output_probs = output_probs

    @property
    def seq_attr(self):
        return self._seq_attr

    @property
    def token_attr(self):
        return self._token_attr


def record(scores, attr_class: Any = "pos", tokens=("[CLS]", "good", "[SEP]")) -> VisualizationDataRecord:
    return VisualizationDataRecord(FakeTensor(scores), 0.9, 1, 1, attr_class, sum(scores), list(tokens), 0.01)


def test_captum_records_one_row_each_named_by_attr_class() -> None:
    tokens, rows = from_tool_object([record([0.0, 0.5, 0.25], "pos"), record([0.0, -0.5, 0.125], "neg")])
    assert tokens == ["[CLS]", "good", "[SEP]"]
    assert list(rows) == ["pos", "neg"]
    assert rows["neg"].tolist() == [0.0, -0.5, 0.125]


def test_captum_record_names_from_tensor_class_repeats_and_none() -> None:
    records = [record([1, 2, 3], FakeTensor(1)), record([1, 2, 3], FakeTensor(1)), record([1, 2, 3], None)]
    assert list(from_records(records)[1]) == ["1.0", "1.0 (2)", "2"]
    assert list(from_tool_object(record([1, 2, 3], 0))[1]) == ["0"]  # a single record


def test_captum_records_with_other_tokens_are_refused() -> None:
    with pytest.raises(DataError, match=r"Captum VisualizationDataRecord: the tokens of record 1 differ"):
        from_records([record([1, 2, 3]), record([1, 2, 3], tokens=("[CLS]", "bad", "[SEP]"))])


def test_captum_record_count_mismatch() -> None:
    with pytest.raises(DataError, match=r"Captum VisualizationDataRecord: 3 tokens but 2 scores in record 0"):
        from_records([record([1, 2])])


def test_captum_llm_result_rows() -> None:
    result = LLMAttributionResult(
        input_tokens=["The", " cat"],
        output_tokens=[" sat", " the", " the"],
        seq_attr=FakeTensor([0.5, -0.5]),
        token_attr=FakeTensor([[0.1, 0.2], [0.3, float("nan")], [0.5, 0.6]]),
    )
    tokens, rows = from_tool_object(result)
    assert tokens == ["The", " cat"]
    assert list(rows) == ["seq_attr", " sat", " the", " the (2)"]
    assert math.isnan(rows[" the"][1])  # a missing cell stays missing


def test_captum_llm_result_without_token_attr() -> None:
    result = LLMAttributionResult(input_tokens=["a", "b"], output_tokens=["c"], seq_attr=np.array([1.0, 2.0]))
    assert list(from_llm_result(result)[1]) == ["seq_attr"]


def test_captum_llm_wrong_token_attr_shape() -> None:
    document = {"input_tokens": ["a", "b"], "output_tokens": ["c"], "seq_attr": [1, 2], "token_attr": [[1, 2, 3]]}
    with pytest.raises(DataError, match=r"Captum JSON: token_attr has shape \(1, 3\); expected \[output tokens, input"):
        from_tool_object(document)


@dataclass
class Explanation:
    """shap.Explanation's members that a text explanation uses."""

    values: Any
    data: Any
    output_names: Any = None


def test_shap_explanation_two_outputs() -> None:
    data = np.array(["", "Hello ", "world", ""], dtype=object)
    explanation = Explanation(np.arange(8.0).reshape(4, 2), data, ["NEGATIVE", "POSITIVE"])
    tokens, rows = from_tool_object(explanation)
    assert tokens == ["", "Hello ", "world", ""]
    assert list(rows) == ["NEGATIVE", "POSITIVE"]
    assert rows["POSITIVE"].tolist() == [1.0, 3.0, 5.0, 7.0]


def test_shap_explanation_one_output() -> None:
    data = np.array(["Hello ", "world"], dtype=object)
    assert list(from_explanation(Explanation(np.array([0.1, 0.2]), data, "POSITIVE"))[1]) == ["POSITIVE"]
    assert list(from_explanation(Explanation(np.array([0.1, 0.2]), data, None))[1]) == [None]
    assert list(from_explanation(Explanation(np.ones((2, 2)), data, None))[1]) == ["output 0", "output 1"]


def test_shap_batch_is_refused_with_a_hint() -> None:
    batch = Explanation(np.ones((1, 2, 2)), np.array([["a", "b"]], dtype=object), ["x", "y"])
    with pytest.raises(DataError, match=r"SHAP Explanation: values has shape \(1, 2, 2\).*explanation, e\.g\. \[0\]"):
        from_tool_object(batch)
    ragged = np.empty(2, dtype=object)
    ragged[0], ragged[1] = np.ones(2), np.ones(3)
    with pytest.raises(DataError, match=r"SHAP Explanation: values is a batch of 2 texts"):
        from_tool_object(Explanation(ragged, np.empty(2, dtype=object), None))


def test_shap_output_names_must_match_outputs() -> None:
    with pytest.raises(DataError, match=r"SHAP JSON: 1 output_names for 2 outputs"):
        from_tool_object({"values": [[1, 2], [3, 4]], "data": ["a", "b"], "output_names": ["x"]})


def test_shap_npz_wrong_shape(tmp_path: Path) -> None:
    path = tmp_path / "bad.npz"
    np.savez(path, values=np.zeros((3, 2, 4)), data=np.array(["a", "b", "c"]))
    message = "SHAP .npz: values has shape (3, 2, 4); expected [tokens] or [tokens, outputs]"
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        read_shap_npz(path)


def test_shap_npz_missing_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.npz"
    np.savez(path, values=np.zeros(3))
    with pytest.raises(DataError, match=r"SHAP \.npz: no data \(it holds values\)") as error:
        read_tool_file(path)
    assert error.value.source == str(path)


def test_shap_npz_object_array_is_refused_never_unpickled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "objects.npz"
    np.savez(path, values=np.zeros(2), data=np.array(["Hello ", "world"], dtype=object))  # pickled on save

    def no_unpickling(*args: object, **kwargs: object) -> None:
        raise AssertionError("unpickled")

    monkeypatch.setattr(pickle, "load", no_unpickling)
    monkeypatch.setattr(pickle, "loads", no_unpickling)
    with pytest.raises(DataError, match=r"SHAP \.npz: data is an array of Python objects.*refused.*astype\(str\)"):
        read_tool_file(path)


def test_shap_npz_not_an_archive() -> None:
    with pytest.raises(DataError, match=r"SHAP \.npz: not a NumPy \.npz file"):
        parse_shap_npz(b"PK\x03\x04 broken")


# ferret, transformers-interpret, LIT


@dataclass
class FerretExplanation:
    """ferret/explainers/explanation.py: Explanation."""

    text: str
    tokens: list[str]
    scores: np.ndarray
    explainer: str
    target_pos_idx: int
    helper_type: str
    target_token_pos_idx: int | None = None
    target: str | None = None
    target_token: str | None = None


@dataclass
class ExplanationEvaluation:
    """ferret's evaluation of one explanation (evaluators/evaluation.py)."""

    explanation: FerretExplanation
    evaluation_scores: list[Any]


def ferret(
    explainer: str, scores: list[float], tokens: tuple[str, ...] = ("[CLS]", "ok", "[SEP]")
) -> FerretExplanation:
    return FerretExplanation(
        "ok", list(tokens), np.array(scores), explainer, 1, "sequence-classification", target="pos"
    )


def test_ferret_rows_named_by_explainer() -> None:
    explanations = [ferret("LIME", [0, 1, 0]), ferret("Gradient", [0, 2, 0]), ferret("LIME", [0, 3, 0])]
    tokens, rows = from_tool_object(explanations)
    assert tokens == ["[CLS]", "ok", "[SEP]"]
    assert list(rows) == ["LIME", "Gradient", "LIME (2)"]
    evaluations = [ExplanationEvaluation(e, []) for e in explanations[:2]]
    assert list(from_tool_object(evaluations)[1]) == ["LIME", "Gradient"]


def test_ferret_json_as_the_export_gives() -> None:
    document = json.loads(json.dumps([{**vars(ferret("LIME", [0.0, 1.0, None])), "scores": [0.0, 1.0, None]}]))
    _, rows = from_ferret(document)
    assert math.isnan(rows["LIME"][2])
    with pytest.raises(DataError, match=r"ferret JSON: explanation 0 has no explainer"):
        from_ferret([{"tokens": ["a"], "scores": [1]}])
    with pytest.raises(DataError, match=r"ferret explanations: the tokens of explanation 1 differ"):
        from_ferret([ferret("A", [1, 2, 3]), ferret("B", [1, 2, 3], ("x", "y", "z"))])


def test_transformers_interpret_pairs() -> None:
    pairs = [("[CLS]", 0.0), ("great", 0.75), ("[SEP]", 0.0)]
    tokens, rows = from_tool_object(pairs)
    assert tokens == ["[CLS]", "great", "[SEP]"]
    assert list(rows) == [None]
    assert rows[None].tolist() == [0.0, 0.75, 0.0]
    assert list(from_tool_object({"word_attributions": json.loads(json.dumps(pairs))})[1]) == [None]
    multi = {"joy": pairs, "anger": [(t, -s) for t, s in pairs]}
    assert list(from_tool_object(multi)[1]) == ["joy", "anger"]


def test_transformers_interpret_bad_pair() -> None:
    with pytest.raises(DataError, match=r"transformers-interpret JSON: word_attributions\[1\] is \['b'\]"):
        from_transformers_interpret([["a", 1], ["b"]])
    with pytest.raises(DataError, match=r"transformers-interpret JSON: word_attributions scores\[1\] is 'x'"):
        from_transformers_interpret([["a", 1], ["b", "x"]])


@dataclass(frozen=True)
class TokenSalience:
    """lit_nlp/api/dtypes.py: TokenSalience."""

    tokens: list[str]
    salience: Any


def test_lit_token_salience() -> None:
    tokens, rows = from_tool_object(TokenSalience(["a", "b"], np.array([0.25, 0.75])))
    assert tokens == ["a", "b"] and list(rows) == [None]
    fields = {"premise": TokenSalience(["a", "b"], [0.1, 0.9]), "grad": TokenSalience(["a", "b"], [0.5, 0.5])}
    assert list(from_tool_object(fields)[1]) == ["premise", "grad"]
    with pytest.raises(DataError, match=r"LIT TokenSalience: 2 tokens but 3 scores in TokenSalience: salience"):
        from_lit(TokenSalience(["a", "b"], [1, 2, 3]))


def test_json_missing_cells_and_infinity() -> None:
    _, rows = parse_tool_json('{"tokens": ["a", "b"], "salience": [NaN, null]}')
    assert np.isnan(rows[None]).all()
    with pytest.raises(DataError, match=r"LIT JSON: TokenSalience: salience\[1\] is inf: not a finite score"):
        parse_tool_json('{"tokens": ["a", "b"], "salience": [1, Infinity]}')


def test_nothing_matches_lists_what_was_looked_for() -> None:
    with pytest.raises(DataError) as error:
        from_tool_object({"tokens": ["a"], "scores": [1]})
    message = str(error.value)
    for looked_for in ("Captum LLMAttributionResult", "VisualizationDataRecord", "SHAP Explanation", "ferret", "LIT"):
        assert looked_for in message
    assert "transformers-interpret" in message and "(token, score) pairs" in message
    with pytest.raises(DataError, match=r"not valid JSON"):
        parse_tool_json("{")
