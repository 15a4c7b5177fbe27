"""The inseq reader against real files written by inseq 0.7.1 (tests/data/inseq, made by
scripts/make_inseq_examples.py) and against crafted broken ones."""

from __future__ import annotations

import base64
import gzip
import json
import struct
from pathlib import Path

import numpy as np
import pytest
import safetensors.numpy

from sphinxcontrib_attnviz.errors import DataError, OptionError
from sphinxcontrib_attnviz.readers.inseq import load_inseq, looks_like_inseq, read_inseq

DATA = Path(__file__).parent / "data" / "inseq"
REFERENCE = json.loads((DATA / "reference.json").read_text(encoding="utf-8"))
EXAMPLES = ["gpt2_saliency", "gpt2_attention", "bart_saliency"]


def raw(name: str) -> bytes:
    return (DATA / name).read_bytes()


def as_array(nested) -> np.ndarray:
    """Reference lists (null where inseq has NaN) as float64."""
    return np.array(nested, dtype=np.float64)


def document(name: str) -> dict:
    return json.loads(raw(name))


def with_target_tensor(text: str, name: str = "gpt2_attention.json") -> bytes:
    """``name`` with its first sequence's target_attributions replaced by ``text``."""
    doc = document(name)
    doc["attributes"]["sequence_attributions"][0]["attributes"]["target_attributions"] = text
    return json.dumps(doc).encode()


def target_tensor(name: str = "gpt2_attention.json") -> np.ndarray:
    """The first sequence's target_attributions, decoded with safetensors' own numpy API."""
    text = document(name)["attributes"]["sequence_attributions"][0]["attributes"]["target_attributions"]
    return safetensors.numpy.load(base64.b64decode(text))["attribution"]


def safetensor_bytes(dtype: str, shape: list[int], data: bytes) -> bytes:
    """A safetensors file written by hand (8-byte little-endian header size, JSON header, data)."""
    header = json.dumps({"attribution": {"dtype": dtype, "shape": shape, "data_offsets": [0, len(data)]}}).encode()
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + data


# --- every variant inseq writes reads the same -------------------------------------------------


@pytest.mark.parametrize("name", ["gpt2_saliency", "gpt2_attention"])
def test_every_variant_reads_the_same(name):
    for index in (0, 1):
        expected = read_inseq(raw(f"{name}.json"), "x", sequence=index)
        for variant, sequence in [
            (f"{name}.json.gz", index),
            (f"{name}.primitives.json", index),
            (f"{name}_{index}.json", 0),
        ]:
            tokens, rows = read_inseq(raw(variant), variant, sequence=sequence)
            assert tokens == expected[0], variant
            assert list(rows) == list(expected[1]), variant
            for label, row in rows.items():
                np.testing.assert_array_equal(row, expected[1][label], err_msg=variant)


@pytest.mark.parametrize("name", EXAMPLES)
def test_tokens_and_steps(name):
    for index, ref in enumerate(REFERENCE[name]["sequences"]):
        seq = load_inseq(raw(f"{name}.json"), "x", sequence=index)
        assert list(seq.target) == ref["target"]
        assert (seq.attr_pos_start, seq.attr_pos_end) == (ref["attr_pos_start"], ref["attr_pos_end"])
        tokens, rows = read_inseq(raw(f"{name}.json"), "x", sequence=index)
        with_source = ref["aggregated_source_attributions"] is not None
        assert tokens == (ref["source"] if with_source else []) + ref["target"]
        generated = ref["target"][ref["attr_pos_start"] : ref["attr_pos_end"]]
        assert list(rows) == [f"step {i}: {json.dumps(token, ensure_ascii=False)}" for i, token in enumerate(generated)]
        for scores, expected in zip(seq.step_scores.values(), ref["step_scores"].values(), strict=True):
            np.testing.assert_array_equal(scores, expected)


def test_decoder_only_draws_the_target_only():
    seq = load_inseq(raw("gpt2_saliency.json"), "x")
    assert seq.source_attributions is None and seq.source == seq.target[: len(seq.source)]
    assert seq.tokens() == list(seq.target)
    assert seq.class_name == "GranularFeatureAttributionSequenceOutput" and seq.method == "saliency"


def test_primitives_have_no_class_names_but_the_method():
    seq = load_inseq(raw("gpt2_saliency.primitives.json"), "x")
    assert seq.class_name is None and seq.method == "saliency" and seq.granular


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_default_aggregation_is_inseqs_own(name):
    """inseq's out.aggregate(), computed by inseq itself in float32, to 1e-6; NaN exactly where inseq's."""
    for index, ref in enumerate(REFERENCE[name]["sequences"]):
        parts = [ref["aggregated_source_attributions"], ref["aggregated_target_attributions"]]
        expected = np.concatenate([as_array(part) for part in parts if part is not None])
        _, rows = read_inseq(raw(f"{name}.json"), "x", sequence=index)
        got = np.column_stack(list(rows.values()))
        np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)
        # the file inseq wrote after aggregating holds the same numbers (no trailing dims: taken as is)
        _, aggregated = read_inseq(raw(f"{name}.aggregated.json"), "x", sequence=index)
        np.testing.assert_allclose(np.column_stack(list(aggregated.values())), expected, rtol=0, atol=1e-6)


def test_missing_cells_are_nan_where_inseq_has_nan():
    ref = REFERENCE["gpt2_attention"]["sequences"][0]
    seq = load_inseq(raw("gpt2_attention.json"), "x")
    expected = as_array(ref["target_attributions"])
    np.testing.assert_array_equal(seq.target_attributions, expected)  # float32 values, exactly
    # a target token has no score before it is generated: NaN from its own step on
    start = ref["attr_pos_start"]
    for column in range(seq.steps):
        missing = np.isnan(seq.aggregated()[:, column])
        assert missing.tolist() == [row >= start + column for row in range(len(seq.target))]


@pytest.mark.parametrize("name", ["gpt2_attention.json", "gpt2_saliency.json"])
@pytest.mark.parametrize(
    ("reduce", "function"),
    [
        ("l2", lambda a, axes: np.sqrt(np.sum(a * a, axis=axes))),
        ("sum", np.sum),
        ("mean", np.mean),
        ("max", np.max),
        ("MAX", np.max),
    ],
)
def test_reduce(name, reduce, function):
    tensor = target_tensor(name).astype(np.float64)
    expected = function(tensor, tuple(range(2, tensor.ndim)))
    _, rows = read_inseq(raw(name), "x", reduce=reduce)
    got = np.column_stack(list(rows.values()))
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


def test_step_picks_one_column():
    tokens, rows = read_inseq(raw("bart_saliency.json"), "x", sequence="1", step="2")
    _, every = read_inseq(raw("bart_saliency.json"), "x", sequence=1)
    (label,) = rows
    assert label == list(every)[2] and label.startswith("step 2: ")
    np.testing.assert_array_equal(rows[label], every[label])
    assert len(tokens) == rows[label].size


# --- dtypes --------------------------------------------------------------------------------------


def test_float16_file_is_the_float32_one_rounded():
    f16 = load_inseq(raw("gpt2_saliency.float16.json"), "x").target_attributions
    f32 = load_inseq(raw("gpt2_saliency.json"), "x").target_attributions
    np.testing.assert_array_equal(f16, f32.astype(np.float16).astype(np.float64))


def test_float8_file_is_the_float32_one_rounded():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    f8 = load_inseq(raw("gpt2_attention.float8.json"), "x").target_attributions
    f32 = load_inseq(raw("gpt2_attention.json"), "x").target_attributions
    np.testing.assert_array_equal(f8, f32.astype(np.float32).astype(ml_dtypes.float8_e4m3fn).astype(np.float64))


def test_float8_table_matches_ml_dtypes():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    codes = np.resize(np.arange(256, dtype=np.uint8), 18 * 7 * 2 * 2)  # every code, in the file's shape
    tensor = base64.b64encode(safetensor_bytes("F8_E4M3", [18, 7, 2, 2], codes.tobytes())).decode()
    got = load_inseq(with_target_tensor(tensor), "x").target_attributions
    np.testing.assert_array_equal(got.ravel(), codes.view(ml_dtypes.float8_e4m3fn).astype(np.float64))


@pytest.mark.parametrize("dtype", ["F16", "BF16", "F64"])
def test_crafted_dtypes_decode(dtype):
    tensor = target_tensor()
    values = tensor.astype(np.float64)
    if dtype == "F16":
        data = safetensors.numpy.save({"attribution": tensor.astype(np.float16)})
        expected = tensor.astype(np.float16).astype(np.float64)
    elif dtype == "F64":
        data = safetensors.numpy.save({"attribution": values})
        expected = values
    else:  # bfloat16: the upper half of each float32 (truncated), written by hand
        upper = (tensor.astype("<f4").view("<u4") >> 16).astype("<u2")
        data = safetensor_bytes("BF16", list(tensor.shape), upper.tobytes())
        expected = (upper.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    seq = load_inseq(with_target_tensor(base64.b64encode(data).decode()), "x")
    np.testing.assert_array_equal(seq.target_attributions, expected)


# --- detection -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(p.name for p in DATA.glob("*.json*") if p.name != "reference.json"))
def test_looks_like_inseq(path):
    assert looks_like_inseq(raw(path))


@pytest.mark.parametrize(
    "data",
    [
        b'{"tokens": ["a"], "scores": [1]}',
        gzip.compress(b'{"tokens": ["a"], "scores": [1]}'),
        b"\x1f\x8bnot gzip at all",
        b"",
        b'{"info": {"model": 1}, "x": 2}',
    ],
)
def test_other_data_does_not_look_like_inseq(data):
    assert not looks_like_inseq(data)


# --- errors --------------------------------------------------------------------------------------


def error_of(data: bytes, **options) -> DataError:
    with pytest.raises(DataError) as caught:
        read_inseq(data, "out.json", **options)
    assert caught.value.source == "out.json"
    assert "inseq" in caught.value.message
    return caught.value


def test_truncated_json():
    error = error_of(raw("gpt2_attention.json")[:5000])
    assert "not valid JSON" in error.message and error.line is not None


def test_truncated_gzip():
    assert "truncated" in error_of(raw("gpt2_attention.json.gz")[:-20]).message


def test_corrupt_gzip():
    data = bytearray(raw("gpt2_attention.json.gz"))
    data[100:110] = b"\xff" * 10
    assert "gzip" in error_of(bytes(data)).message


def test_bad_base64():
    error = error_of(with_target_tensor("UAAA!!!not base64"))
    assert "target_attributions is not valid base64" in error.message


def test_header_that_lies_about_its_size():
    good = base64.b64decode(
        document("gpt2_attention.json")["attributes"]["sequence_attributions"][0]["attributes"]["target_attributions"]
    )
    for lie in (struct.pack("<Q", 10**6) + good[8:], struct.pack("<Q", 7) + good[8:], good[:-4]):
        error = error_of(with_target_tensor(base64.b64encode(lie).decode()))
        assert "not a valid safetensors tensor" in error.message


def test_header_that_lies_about_the_shape():
    data = safetensor_bytes("F32", [18, 7, 2, 3], np.zeros(18 * 7 * 4, "<f4").tobytes())
    assert "not a valid safetensors tensor" in error_of(with_target_tensor(base64.b64encode(data).decode())).message


def test_a_tensor_of_the_wrong_shape():
    data = safetensors.numpy.save({"attribution": np.zeros((18, 6, 2, 2), np.float32)})
    error = error_of(with_target_tensor(base64.b64encode(data).decode()))
    assert "target_attributions has shape [18, 6, 2, 2]" in error.message


def test_an_integer_tensor():
    data = safetensors.numpy.save({"attribution": np.zeros((18, 7), np.int32)})
    assert "dtype I32" in error_of(with_target_tensor(base64.b64encode(data).decode())).message


def test_infinity_is_refused():
    tensor = target_tensor().copy()
    tensor[0, 0, 0, 0] = np.inf
    data = safetensors.numpy.save({"attribution": tensor})
    assert "[0][0][0][0] is inf" in error_of(with_target_tensor(base64.b64encode(data).decode())).message


@pytest.mark.parametrize(
    ("options", "words"), [({"sequence": 2}, "sequence 2 is out of range"), ({"step": 7}, "step 7 is out of range")]
)
def test_index_out_of_range(options, words):
    assert words in error_of(raw("gpt2_attention.json"), **options).message


@pytest.mark.parametrize("options", [{"sequence": "-1"}, {"step": "x"}, {"reduce": "median"}, {"sequence": True}])
def test_bad_options(options):
    with pytest.raises(OptionError):
        read_inseq(raw("gpt2_attention.json"), "x", **options)


def test_not_inseq():
    assert "no sequence_attributions" in error_of(b'{"tokens": ["a"], "scores": [1]}').message
    assert "not UTF-8" in error_of(b'{"a": "\xe9"}').message
    assert "given twice" in error_of(b'{"info": {}, "info": {}}').message
