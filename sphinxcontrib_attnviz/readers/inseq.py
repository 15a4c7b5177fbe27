"""inseq's saved attributions: the JSON that ``FeatureAttributionOutput.save()`` writes.

Read as inseq 0.7 writes it (``inseq/data/attribution.py``, ``FeatureAttributionOutput.save``,
and ``inseq/utils/serialization.py``), in every variant: plain or gzip-compressed
(``compress=True``, ``.json.gz``), objects wrapped as ``{"__instance_type__": [module, class],
"attributes": {...}}`` or bare (``use_primitives=True``), one file for all sequences or one
per sequence (``split_sequences=True``). Tensors are base64 text of a safetensors file holding
one tensor (``convert_to_safetensor`` in ``inseq/utils/torch_utils.py``): F32, or F16 and
F8_E4M3 with ``scores_precision``; BF16 and F64 are read too. A tensor written as nested
JSON lists is read as well. Nothing is unpickled, torch is never imported.

Each sequence holds its ``source`` and ``target`` tokens, and ``source_attributions`` /
``target_attributions`` of shape ``[tokens, generation steps, ...]``: gradient methods add
the hidden size, attention adds layers x heads. Column ``j`` belongs to the generated token
``target[attr_pos_start + j]``; cells of tokens not yet generated at a step are NaN, and stay
NaN (a missing cell). A decoder-only model's ``source`` is its prompt, repeated at the start
of ``target``: only the tokens of the attributions present are drawn.

Errors are :class:`~sphinxcontrib_attnviz.errors.DataError`\\ s starting ``inseq JSON:``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..data import decode_text
from ..errors import DataError, OptionError
from ..formats import json_document, no_repeated_keys
from . import Rows, ToolScores, float_array

WHAT = "inseq JSON"

#: ``reduce`` values: ``inseq`` is inseq's own default aggregation; the others reduce every
#: trailing dimension (hidden size, layers x heads) with that function, without normalising.
REDUCTIONS = ("inseq", "l2", "sum", "mean", "max")

#: The sequence classes whose default aggregation is an L2 norm (``vnorm``) over the trailing
#: dimension (``GranularFeatureAttributionSequenceOutput.__post_init__``), and the methods
#: that give them, for files saved with ``use_primitives=True`` (no class names).
GRANULAR_CLASS = "GranularFeatureAttributionSequenceOutput"
GRANULAR_METHODS = frozenset(
    {
        "saliency",
        "integrated_gradients",
        "input_x_gradient",
        "deeplift",
        "gradient_shap",
        "discretized_integrated_gradients",
        "sequential_integrated_gradients",
        "layer_integrated_gradients",
        "layer_gradient_x_activation",
        "layer_deeplift",
        "lime",
        "reagent",
    }
)

#: F.normalize's ``eps``: the smallest divisor of a step's column.
_NORMALIZE_EPS = 1e-12
#: The most bytes a gzip-compressed file may expand to (a compression bomb is refused).
MAX_DECOMPRESSED = 1 << 30
_GZIP_MAGIC = b"\x1f\x8b"
_SNIFF_BYTES = 1 << 16
_WRAPPED_OUTPUT = re.compile(rb'"__instance_type__"\s*:\s*\[\s*"inseq\.[\w.]+"\s*,\s*"FeatureAttributionOutput"\s*\]')
_PRIMITIVE_OUTPUT = re.compile(rb'^\s*\{\s*"info"\s*:\s*\{')


@dataclass(frozen=True, eq=False)
class InseqSequence:
    """One sequence of an inseq file, as saved: tokens, float64 tensors (NaN: not generated yet)."""

    source: tuple[str, ...] | None
    target: tuple[str, ...]
    source_attributions: np.ndarray | None
    target_attributions: np.ndarray | None
    step_scores: Mapping[str, np.ndarray]
    attr_pos_start: int
    attr_pos_end: int
    class_name: str | None  # e.g. GranularFeatureAttributionSequenceOutput; None with use_primitives
    method: str | None  # info["attribution_method"], e.g. "saliency"

    @property
    def steps(self) -> int:
        """How many generation steps (columns) the attributions have."""
        return self.attr_pos_end - self.attr_pos_start

    @property
    def generated(self) -> tuple[str, ...]:
        """The generated token of each step."""
        return self.target[self.attr_pos_start : self.attr_pos_end]

    @property
    def granular(self) -> bool:
        """Whether inseq aggregates this sequence with an L2 norm (gradient methods)."""
        if self.class_name is not None:
            return self.class_name == GRANULAR_CLASS
        return self.method in GRANULAR_METHODS

    def tokens(self) -> list[str]:
        """The tokens drawn: the source's if there are source attributions, then the target's."""
        tokens = list(self.source or ()) if self.source_attributions is not None else []
        if self.target_attributions is not None:
            tokens += self.target[: self.target_attributions.shape[0]]
        return tokens

    def aggregated(self, reduce: str = "inseq") -> np.ndarray:
        """The attributions as one ``[tokens, steps]`` float64 array, source rows then target rows.

        ``inseq`` does what inseq's ``aggregate()`` does by default (``aggregator.py``,
        ``SequenceAttributionAggregator._process_attribution_scores``): for each trailing
        dimension, last first, an L2 norm (gradient methods, ``vnorm``) or a mean (attention,
        one ``mean`` per extra dimension), each followed by ``normalize`` (``torch_utils.py``):
        every step's column divided by its L1 norm over source and target tokens together,
        NaN cells counted as 0 and kept NaN. Attributions without trailing dimensions (a
        coarse method, a file saved after ``aggregate()``) are taken as they are.
        ``l2``, ``sum``, ``mean``, ``max`` reduce all trailing dimensions at once, unnormalised.
        """
        parts = [part for part in (self.source_attributions, self.target_attributions) if part is not None]
        scores = np.concatenate(parts, axis=0)
        if reduce != "inseq":
            axes = tuple(range(2, scores.ndim))
            if not axes:
                return scores
            if reduce == "l2":
                return np.sqrt(np.sum(np.square(scores), axis=axes))
            return {"sum": np.sum, "mean": np.mean, "max": np.max}[reduce](scores, axis=axes)
        while scores.ndim > 2:
            scores = np.sqrt(np.sum(np.square(scores), axis=-1)) if self.granular else np.mean(scores, axis=-1)
            scores = _normalize(scores)
        return scores


def _normalize(scores: np.ndarray) -> np.ndarray:
    """inseq's ``normalize``: each column (all but the token axis 0) divided by its L1 norm, NaN kept."""
    missing = np.isnan(scores)
    filled = np.where(missing, 0.0, scores)
    norm = np.maximum(np.sum(np.abs(filled), axis=0, keepdims=True), _NORMALIZE_EPS)
    return np.where(missing, np.nan, filled / norm)


def looks_like_inseq(raw: bytes) -> bool:
    """Whether ``raw`` looks like an inseq file, from its start: gzip's magic number (then the
    first 64 KiB decompressed), then the ``FeatureAttributionOutput`` wrapper or the bare
    object of ``use_primitives=True`` (``"info"`` first, ``"attribution_method"`` in it)."""
    head = raw[:_SNIFF_BYTES]
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, _SNIFF_BYTES)
        except zlib.error:
            return False
    if _WRAPPED_OUTPUT.search(head):
        return True
    return bool(_PRIMITIVE_OUTPUT.match(head)) and b'"attribution_method"' in head


def load_inseq(raw: bytes, source: str, *, sequence: int | str = 0) -> InseqSequence:
    """One sequence of an inseq file (``sequence``: its index, from 0), decoded and checked."""
    index = _whole_number(sequence, "sequence")
    document = _json(_gunzip(raw, source) if raw.startswith(_GZIP_MAGIC) else raw, source)
    _, output = _unwrap(document, "the file", source)
    sequences = output.get("sequence_attributions")
    if not isinstance(sequences, list) or not sequences:
        raise DataError(f"{WHAT}: no sequence_attributions (not an inseq FeatureAttributionOutput)", source)
    if index >= len(sequences):
        raise DataError(
            f"{WHAT}: sequence {index} is out of range: the file holds {len(sequences)} "
            f"sequence{'s' if len(sequences) > 1 else ''} (0-{len(sequences) - 1})",
            source,
        )
    info = output.get("info")
    method = info.get("attribution_method") if isinstance(info, dict) else None
    return _sequence(sequences[index], f"sequence {index}", method if isinstance(method, str) else None, source)


def read_inseq(
    raw: bytes,
    source: str,
    *,
    sequence: int | str = 0,
    step: int | str | None = None,
    reduce: str | None = None,
) -> ToolScores:
    """The tokens and rows of one sequence of an inseq file: every generation step a row
    (labelled ``step 3: "Paris"``, ``3`` its index from 0, standing for the token it
    generated), or only ``step``'s; ``reduce`` (default ``inseq``) says how trailing
    dimensions become one score (:data:`REDUCTIONS`)."""
    reduce = parse_reduce(reduce)
    seq = load_inseq(raw, source, sequence=sequence)
    scores = seq.aggregated(reduce)
    steps = range(seq.steps)
    if step is not None and str(step).strip().lower() not in ("", "all"):
        chosen = _whole_number(step, "step")
        if chosen >= seq.steps:
            raise DataError(
                f"{WHAT}: step {chosen} is out of range: the sequence has {seq.steps} generation "
                f"step{'s' if seq.steps > 1 else ''} (0-{seq.steps - 1})",
                source,
            )
        steps = range(chosen, chosen + 1)
    rows = Rows()
    for column in steps:
        label = f"step {column}: {json.dumps(seq.generated[column], ensure_ascii=False)}"
        rows[label] = np.ascontiguousarray(scores[:, column])
        rows.tokens[label] = seq.generated[column]
    return seq.tokens(), rows


def parse_reduce(value: str | None) -> str:
    """A ``reduce`` option as written (any case, ``None`` for the default): one of :data:`REDUCTIONS`."""
    if value is None:
        return "inseq"
    name = str(value).strip().lower()
    if name not in REDUCTIONS:
        raise OptionError(f"reduce: {value!r} is not one of {', '.join(REDUCTIONS)}")
    return name


def _whole_number(value: int | str, name: str) -> int:
    """An index option (``sequence``, ``step``) as written: a whole number >= 0, else an OptionError."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise OptionError(f"{name}: {value!r} is not a whole number >= 0")
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        raise OptionError(f"{name}: {value!r} is not a whole number >= 0")
    return int(text)


def _gunzip(raw: bytes, source: str) -> bytes:
    """The decompressed bytes of a gzip file (each member), at most :data:`MAX_DECOMPRESSED`."""
    pieces: list[bytes] = []
    size = 0
    rest = raw
    try:
        while rest:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            piece = inflater.decompress(rest, MAX_DECOMPRESSED - size + 1)
            size += len(piece)
            if size > MAX_DECOMPRESSED:
                raise DataError(f"{WHAT}: more than {MAX_DECOMPRESSED:,} bytes once decompressed: refused", source)
            if not inflater.eof:
                raise DataError(f"{WHAT}: the gzip data is truncated (it ends before its end marker)", source)
            pieces.append(piece)
            rest = inflater.unused_data.lstrip(b"\0")  # gzip allows padding after a member
    except zlib.error as error:
        raise DataError(f"{WHAT}: not valid gzip data ({error})", source) from None
    return b"".join(pieces)


def _json(raw: bytes, source: str) -> Any:
    try:
        text = decode_text(raw, source)
    except DataError as error:
        raise DataError(f"{WHAT}: {error.message}", source, error.line) from None
    try:
        return json_document(text, source, object_pairs_hook=no_repeated_keys(source))
    except DataError as error:
        raise DataError(f"{WHAT}: {error.message}", source, error.line) from None


def _unwrap(value: Any, what: str, source: str) -> tuple[str | None, dict[str, Any]]:
    """The class name (None for a bare object) and the attributes of an encoded object."""
    if not isinstance(value, dict):
        raise DataError(f"{WHAT}: {what} is {_kind(value)}, not an object", source)
    if "__instance_type__" not in value:
        return None, value
    kind, attributes = value["__instance_type__"], value.get("attributes", {})
    if not (isinstance(kind, list) and len(kind) == 2 and isinstance(kind[1], str)) or not isinstance(attributes, dict):
        raise DataError(f"{WHAT}: {what} has a malformed __instance_type__ or attributes", source)
    return kind[1], attributes


def _sequence(value: Any, where: str, method: str | None, source: str) -> InseqSequence:
    class_name, attrs = _unwrap(value, where, source)
    source_tokens = _tokens(attrs.get("source"), f"{where}: source", source, optional=True)
    target = _tokens(attrs.get("target"), f"{where}: target", source, optional=False)
    start = _position(attrs.get("attr_pos_start", 0), f"{where}: attr_pos_start", source)
    end = attrs.get("attr_pos_end")
    end = len(target) if end is None else _position(end, f"{where}: attr_pos_end", source)
    if not start < end <= len(target):
        raise DataError(
            f"{WHAT}: {where}: attr_pos_start {start} and attr_pos_end {end} do not fit "
            f"the {len(target)} target tokens",
            source,
        )
    steps = end - start
    src = _tensor(attrs.get("source_attributions"), f"{where}: source_attributions", source)
    tgt = _tensor(attrs.get("target_attributions"), f"{where}: target_attributions", source)
    if src is None and tgt is None:
        raise DataError(f"{WHAT}: {where} has neither source_attributions nor target_attributions", source)
    if src is not None:
        if source_tokens is None:
            raise DataError(f"{WHAT}: {where} has source_attributions but no source tokens", source)
        _check_shape(src, len(source_tokens), steps, f"{where}: source_attributions", "source", source)
    if tgt is not None:
        _check_shape(tgt, None, steps, f"{where}: target_attributions", "target", source)
        if not end <= tgt.shape[0] <= len(target):
            raise DataError(
                f"{WHAT}: {where}: target_attributions has shape {tgt.shape}: {tgt.shape[0]} rows for "
                f"{len(target)} target tokens (at least {end})",
                source,
            )
    if src is not None and tgt is not None and src.shape[2:] != tgt.shape[2:]:
        raise DataError(
            f"{WHAT}: {where}: source_attributions {src.shape} and target_attributions {tgt.shape} "
            "differ in their trailing dimensions",
            source,
        )
    step_scores = attrs.get("step_scores") or {}
    if not isinstance(step_scores, dict):
        raise DataError(f"{WHAT}: {where}: step_scores is {_kind(step_scores)}, not an object", source)
    scores = {name: _tensor(v, f"{where}: step_scores[{name!r}]", source) for name, v in step_scores.items()}
    return InseqSequence(
        source_tokens,
        target,
        src,
        tgt,
        {k: v for k, v in scores.items() if v is not None},
        start,
        end,
        class_name,
        method,
    )


def _tokens(value: Any, what: str, source: str, optional: bool) -> tuple[str, ...] | None:
    if value is None and optional:
        return None
    if not isinstance(value, list):
        raise DataError(f"{WHAT}: {what} is {_kind(value)}, not a list of tokens", source)
    tokens = []
    for index, item in enumerate(value):
        _, attrs = _unwrap(item, f"{what}[{index}]", source)
        token = attrs.get("token")
        if not isinstance(token, str):
            raise DataError(f'{WHAT}: {what}[{index}] has no token text ("token": {_kind(token)})', source)
        tokens.append(token)
    return tuple(tokens)


def _position(value: Any, what: str, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DataError(f"{WHAT}: {what} is {value!r}, not a whole number >= 0", source)
    return value


def _check_shape(tensor: np.ndarray, tokens: int | None, steps: int, what: str, side: str, source: str) -> None:
    if tensor.ndim < 2 or (tokens is not None and tensor.shape[0] != tokens) or tensor.shape[1] != steps:
        wanted = f"[{tokens if tokens is not None else side + ' tokens'}, {steps}, ...]"
        raise DataError(
            f"{WHAT}: {what} has shape {list(tensor.shape)}; expected {wanted} ({side} tokens, generation steps)",
            source,
        )


def _tensor(value: Any, what: str, source: str) -> np.ndarray | None:
    """A saved tensor as a read-only float64 array: base64 safetensors text, or nested lists."""
    if value is None:
        return None
    if isinstance(value, list):
        array = float_array(value, WHAT, what, source)
    elif isinstance(value, str):
        array = _safetensor(value, what, source)
    else:
        raise DataError(f"{WHAT}: {what} is {_kind(value)}, not a tensor (base64 text or a list)", source)
    array.flags.writeable = False
    return array


def _safetensor(text: str, what: str, source: str) -> np.ndarray:
    """base64 text of a safetensors file with one tensor, as float64 (exact for every float dtype)."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise DataError(f"{WHAT}: {what} is not valid base64 ({error})", source) from None
    try:
        import safetensors
    except ImportError:
        raise DataError(
            f"{WHAT}: reading inseq's tensors needs the safetensors package: pip install safetensors", source
        ) from None
    try:
        tensors = safetensors.deserialize(raw)  # checks the header's size, offsets and shape against the data
    except Exception as error:  # safetensors.SafetensorError, and whatever a broken header raises
        raise DataError(f"{WHAT}: {what} is not a valid safetensors tensor ({error})", source) from None
    if len(tensors) != 1:
        raise DataError(f"{WHAT}: {what} holds {len(tensors)} tensors; expected one", source)
    ((_, tensor),) = tensors
    array = _decoded(bytes(tensor["data"]), tensor["dtype"], what, source).reshape(tensor["shape"])
    infinite = np.argwhere(np.isinf(array))
    if infinite.size:
        where = "".join(f"[{index}]" for index in infinite[0])
        raise DataError(f"{WHAT}: {what}{where} is {array[tuple(infinite[0])]}: not a finite score", source)
    return array


def _decoded(data: bytes, dtype: str, what: str, source: str) -> np.ndarray:
    """Little-endian ``data`` of a safetensors dtype as float64. NumPy reads F64, F32 and F16;
    BF16 is the upper half of an F32; F8_E4M3 (torch's float8_e4m3fn) is looked up in a table."""
    if dtype in _NUMPY_DTYPES:
        return np.frombuffer(data, dtype=_NUMPY_DTYPES[dtype]).astype(np.float64)
    if dtype == "BF16":
        halves = np.frombuffer(data, dtype="<u2").astype(np.uint32) << 16
        return halves.view(np.float32).astype(np.float64)
    if dtype == "F8_E4M3":
        return _FLOAT8_E4M3[np.frombuffer(data, dtype=np.uint8)]
    raise DataError(
        f"{WHAT}: {what} has dtype {dtype}; expected a float dtype ({', '.join([*_NUMPY_DTYPES, 'BF16', 'F8_E4M3'])})",
        source,
    )


_NUMPY_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2"}


def _float8_e4m3_table() -> np.ndarray:
    """The 256 values of float8 E4M3 "fn" (safetensors' F8_E4M3): 4 exponent bits (bias 7),
    3 mantissa bits, subnormals, no infinities, NaN when exponent and mantissa are all ones."""
    codes = np.arange(256)
    sign = np.where(codes & 0x80, -1.0, 1.0)
    exponent = (codes >> 3) & 0xF
    mantissa = (codes & 0x7).astype(np.float64)
    values = np.where(exponent == 0, mantissa / 8 * 2.0**-6, (1 + mantissa / 8) * 2.0 ** (exponent - 7))
    values = sign * values
    values[(exponent == 0xF) & (codes & 0x7 == 0x7)] = np.nan
    values.flags.writeable = False
    return values


_FLOAT8_E4M3 = _float8_e4m3_table()


def _kind(value: Any) -> str:
    """How a JSON value is named in a message."""
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        str: "text",
        int: "a number",
        float: "a number",
        list: "an array",
        dict: "an object",
    }.get(type(value), type(value).__name__)
